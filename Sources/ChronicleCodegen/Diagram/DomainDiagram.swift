/// A picture of a module's domain, drawn the way event-storming workshops do: commands (blue)
/// → the events they emit (orange) → the views those events feed (green), one lane per
/// aggregate (yellow), module commands above the lanes, named inverse pairs joined by a dashed
/// line and irreversible events marked in red.
///
/// ``mermaid()`` writes it as a Mermaid flowchart (GitHub renders those in Markdown);
/// ``svg()`` lays it out itself and writes a standalone SVG.
public struct DomainDiagram: Sendable {
    /// A box of the picture.
    struct Node: Hashable {
        enum Kind { case command, event, view }
        var id: String
        var label: String
        var kind: Kind
        var irreversible = false
    }

    struct Lane {
        var aggregate: String
        var commands: [Node]
        var events: [Node]
    }

    var lanes: [Lane] = []
    var moduleCommands: [Node] = []
    var views: [Node] = []
    /// From → to: command → event, event → view.
    var edges: [(from: String, to: String)] = []
    /// Named inverse pairs, each once.
    var inversePairs: [(String, String)] = []

    init(_ module: Module) {
        func eventID(_ aggregate: String, _ event: String) -> String { "\(aggregate)_\(event)" }
        for aggregate in module.aggregates {
            var lane = Lane(aggregate: aggregate.name, commands: [], events: [])
            for event in aggregate.events {
                var node = Node(id: eventID(aggregate.name, event.name), label: event.name, kind: .event)
                switch event.inverse {
                case .irreversible: node.irreversible = true
                case .named(let other) where event.name < other: inversePairs.append((node.id, eventID(aggregate.name, other)))
                default: break
                }
                lane.events.append(node)
            }
            for command in aggregate.commands {
                let id = "\(aggregate.name)_cmd_\(command.name)"
                lane.commands.append(Node(id: id, label: command.name, kind: .command))
                for event in command.emits { edges.append((id, eventID(aggregate.name, event))) }
            }
            lanes.append(lane)
        }
        for command in module.commands {
            let id = "cmd_\(command.name)"
            moduleCommands.append(Node(id: id, label: command.name, kind: .command))
            for target in command.targets {
                for event in target.events where !edges.contains(where: { $0.from == id && $0.to == eventID(target.aggregate, event) }) {
                    edges.append((id, eventID(target.aggregate, event)))
                }
            }
        }
        for view in module.views {
            let id = "view_\(view.name)"
            views.append(Node(id: id, label: view.name, kind: .view))
            for handler in view.handlers where !edges.contains(where: { $0.from == eventID(handler.aggregate, handler.event) && $0.to == id }) {
                edges.append((eventID(handler.aggregate, handler.event), id))
            }
        }
    }

    // MARK: Mermaid

    /// The diagram as a Mermaid flowchart, one line per node and edge.
    public func mermaid() -> String {
        var lines = ["flowchart LR"]
        func label(_ node: Node) -> String {
            let text = node.irreversible ? "\(node.label)<br/><i>irreversible</i>" : node.label
            return "\"" + text.replacingOccurrences(of: "\"", with: "#quot;") + "\""
        }
        for command in moduleCommands { lines.append("    \(command.id)([\(label(command))]):::command") }
        for lane in lanes {
            lines.append("    subgraph \(lane.aggregate)[\"\(lane.aggregate)\"]")
            lines.append("        direction LR")
            for command in lane.commands { lines.append("        \(command.id)([\(label(command))]):::command") }
            for event in lane.events { lines.append("        \(event.id)[\(label(event))]:::\(event.irreversible ? "irreversible" : "event")") }
            lines.append("    end")
        }
        for view in views { lines.append("    \(view.id)[(\(label(view)))]:::view") }
        for edge in edges { lines.append("    \(edge.from) --> \(edge.to)") }
        for (a, b) in inversePairs { lines.append("    \(a) <-. inverse .-> \(b)") }
        lines += [
            "    classDef command fill:#a7c7e7,stroke:#3a6ea5,color:#111",
            "    classDef event fill:#ffb347,stroke:#c97a00,color:#111",
            "    classDef irreversible fill:#ffb347,stroke:#c00000,stroke-width:3px,color:#111",
            "    classDef view fill:#b5e7a0,stroke:#4c8c2b,color:#111",
        ]
        for lane in lanes { lines.append("    style \(lane.aggregate) fill:#fff6c2,stroke:#c9b400") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Generator {
    /// A picture of the module's domain (see ``DomainDiagram``), or the schemas' problems.
    public func diagram(_ sources: [SchemaSource]) -> (diagram: DomainDiagram?, diagnostics: [Diagnostic]) {
        fromCheckedModule(sources, checkingLocks: false) { module in DomainDiagram(module) }
    }
}
