/// The diagram laid out by hand as a standalone SVG: no browser or layout tool needed.
///
/// Columns: commands, events, views. Each aggregate is a yellow lane holding its commands and
/// events; commands across aggregates sit above the lanes; views stand to the right, fed by
/// arrows from the events they project. Every box has a fixed size and a place of its own, so
/// boxes never overlap.
extension DomainDiagram {
    struct Box {
        var node: Node
        var x: Int
        var y: Int
    }

    static let boxWidth = 200, boxHeight = 38, rowGap = 14, laneHeader = 28, margin = 20
    static let commandX = 40, eventX = 300, viewX = 620

    /// The place of every box, and the lanes' rectangles.
    func layout() -> (boxes: [Box], lanes: [(name: String, y: Int, height: Int)], height: Int) {
        var boxes: [Box] = []
        var lanes: [(String, Int, Int)] = []
        var y = Self.margin
        let step = Self.boxHeight + Self.rowGap
        if !moduleCommands.isEmpty {
            lanes.append(("commands across aggregates", y, Self.laneHeader + moduleCommands.count * step))
            for (index, command) in moduleCommands.enumerated() {
                boxes.append(Box(node: command, x: Self.commandX, y: y + Self.laneHeader + index * step))
            }
            y += Self.laneHeader + moduleCommands.count * step + Self.rowGap
        }
        let top = y
        for lane in self.lanes {
            let rows = max(lane.commands.count, lane.events.count, 1)
            let height = Self.laneHeader + rows * step
            lanes.append((lane.aggregate, y, height))
            for (index, command) in lane.commands.enumerated() { boxes.append(Box(node: command, x: Self.commandX, y: y + Self.laneHeader + index * step)) }
            for (index, event) in lane.events.enumerated() { boxes.append(Box(node: event, x: Self.eventX, y: y + Self.laneHeader + index * step)) }
            y += height + Self.rowGap
        }
        // Views stand beside the lanes, spread over their height.
        let lanesHeight = max(y - top - Self.rowGap, 0)
        let viewsHeight = views.count * step
        let viewTop = top + max(0, (lanesHeight - viewsHeight) / 2) + Self.laneHeader / 2
        for (index, view) in views.enumerated() { boxes.append(Box(node: view, x: Self.viewX, y: viewTop + index * step)) }
        let bottom = max(y, viewTop + viewsHeight + Self.rowGap)
        return (boxes, lanes.map { (name: $0.0, y: $0.1, height: $0.2) }, bottom)
    }

    /// The diagram as a standalone SVG document.
    public func svg() -> String {
        let (boxes, lanes, bottom) = layout()
        let legendY = bottom + 10
        let width = Self.viewX + Self.boxWidth + 2 * Self.margin
        let height = legendY + 40
        var out: [String] = [
            ##"<?xml version="1.0" encoding="UTF-8"?>"##,
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)" font-family="Helvetica, Arial, sans-serif" font-size="13">"##,
            "<defs>",
            ##"<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker>"##,
            "</defs>",
            ##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
        ]
        for lane in lanes {
            let isModule = lane.name == "commands across aggregates"
            out.append(##"<rect class="lane" x="\##(Self.margin)" y="\##(lane.y)" width="\##(Self.eventX + Self.boxWidth + 20 - Self.margin)" height="\##(lane.height)" rx="6" fill="\##(isModule ? "#f2f2f2" : "#fff6c2")" stroke="\##(isModule ? "#bbbbbb" : "#c9b400")"/>"##)
            out.append(##"<text x="\##(Self.margin + 10)" y="\##(lane.y + 19)" font-weight="bold" fill="#333">\##(Self.escaped(lane.name))</text>"##)
        }
        let place = Dictionary(boxes.map { ($0.node.id, $0) }, uniquingKeysWith: { first, _ in first })
        for edge in edges {
            guard let from = place[edge.from], let to = place[edge.to] else { continue }
            let x1 = from.x + Self.boxWidth, y1 = from.y + Self.boxHeight / 2
            let x2 = to.x, y2 = to.y + Self.boxHeight / 2
            let bend = max(40, (x2 - x1) / 2)
            out.append(##"<path class="edge" d="M \##(x1) \##(y1) C \##(x1 + bend) \##(y1), \##(x2 - bend) \##(y2), \##(x2) \##(y2)" fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>"##)
        }
        for (a, b) in inversePairs {
            guard let first = place[a], let second = place[b] else { continue }
            let x = first.x + Self.boxWidth, y1 = first.y + Self.boxHeight / 2, y2 = second.y + Self.boxHeight / 2
            out.append(##"<path class="inverse" d="M \##(x) \##(y1) C \##(x + 70) \##(y1), \##(x + 70) \##(y2), \##(x) \##(y2)" fill="none" stroke="#7b4fa0" stroke-width="1.5" stroke-dasharray="5 4" marker-start="url(#arrow)" marker-end="url(#arrow)"/>"##)
            out.append(##"<text x="\##(x + 56)" y="\##((y1 + y2) / 2 + 4)" font-size="11" fill="#7b4fa0">inverse</text>"##)
        }
        for box in boxes {
            let (fill, stroke) = Self.colors(box.node)
            let radius = box.node.kind == .command ? 17 : box.node.kind == .view ? 10 : 2
            out.append(##"<rect class="\##(box.node.kind)" x="\##(box.x)" y="\##(box.y)" width="\##(Self.boxWidth)" height="\##(Self.boxHeight)" rx="\##(radius)" fill="\##(fill)" stroke="\##(stroke)" stroke-width="\##(box.node.irreversible ? 3 : 1.2)"/>"##)
            let centre = box.x + Self.boxWidth / 2
            if box.node.irreversible {
                out.append(##"<text x="\##(centre)" y="\##(box.y + 16)" text-anchor="middle" fill="#111">\##(Self.escaped(box.node.label))</text>"##)
                out.append(##"<text x="\##(centre)" y="\##(box.y + 31)" text-anchor="middle" font-size="10" font-style="italic" fill="#c00000">irreversible</text>"##)
            } else {
                out.append(##"<text x="\##(centre)" y="\##(box.y + 24)" text-anchor="middle" fill="#111">\##(Self.escaped(box.node.label))</text>"##)
            }
        }
        // The legend.
        let legend: [(String, String, String)] = [("command", "#a7c7e7", "#3a6ea5"), ("event", "#ffb347", "#c97a00"), ("view", "#b5e7a0", "#4c8c2b"), ("irreversible event", "#ffb347", "#c00000")]
        for (index, item) in legend.enumerated() {
            let x = Self.margin + index * 150
            out.append(##"<rect x="\##(x)" y="\##(legendY)" width="18" height="14" fill="\##(item.1)" stroke="\##(item.2)" stroke-width="\##(item.0 == "irreversible event" ? 3 : 1)"/>"##)
            out.append(##"<text x="\##(x + 24)" y="\##(legendY + 12)" font-size="11" fill="#333">\##(item.0)</text>"##)
        }
        out.append(##"<path d="M \##(Self.margin + 600) \##(legendY + 7) L \##(Self.margin + 630) \##(legendY + 7)" stroke="#7b4fa0" stroke-width="1.5" stroke-dasharray="5 4"/>"##)
        out.append(##"<text x="\##(Self.margin + 636)" y="\##(legendY + 12)" font-size="11" fill="#333">inverse pair</text>"##)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    static func colors(_ node: Node) -> (String, String) {
        switch node.kind {
        case .command: return ("#a7c7e7", "#3a6ea5")
        case .event: return ("#ffb347", node.irreversible ? "#c00000" : "#c97a00")
        case .view: return ("#b5e7a0", "#4c8c2b")
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
