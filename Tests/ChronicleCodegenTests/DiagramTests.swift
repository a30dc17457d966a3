import ChronicleCodegen
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `chronicle diagram`: the Mermaid picture of the Bank is the one the README shows; on the
/// loyalty domain every lane, module command, inverse pair and irreversible event is drawn; and
/// the SVG, on these and on random schemas, is well-formed XML whose boxes each hold one node's
/// name and never overlap.
@Suite("Domain diagrams")
struct DiagramTests {
    static let root = ReferenceTests.root

    static func diagram(_ path: String, module: String) throws -> DomainDiagram {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        return try diagram(text: text, module: module)
    }

    static func diagram(text: String, module: String) throws -> DomainDiagram {
        let (diagram, diagnostics) = Generator(moduleName: module).diagram([SchemaSource(path: "\(module).chronicle.yaml", text: text)])
        return try #require(diagram, "\(diagnostics)")
    }

    @Test func theReadmeShowsTheBanksDiagramAsTheCommandDrawsIt() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```mermaid\n"), "the README has no Mermaid diagram")
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let shown = String(readme[start.upperBound..<end.lowerBound])
        #expect(shown == (try Self.diagram("Schemas/Bank/Bank.chronicle.yaml", module: "Bank").mermaid()),
                "the README's diagram is out of date: swift run chronicle diagram Schemas/Bank/Bank.chronicle.yaml")
    }

    @Test func everyPartOfTheLoyaltyDomainIsDrawn() throws {
        let mermaid = try Self.diagram("Tests/Loyalty/Loyalty.chronicle.yaml", module: "Loyalty").mermaid()
        let lines = Set(mermaid.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for expected in [
            #"subgraph Member["Member"]"#, #"subgraph Shop["Shop"]"#,
            #"cmd_Redeem(["Redeem"]):::command"#, "cmd_Redeem --> Member_Spent", "cmd_Redeem --> Shop_Sold",
            "Member_cmd_Earn --> Member_Earned", #"Member_Mailed["Mailed<br/><i>irreversible</i>"]:::irreversible"#,
            "Member_Earned <-. inverse .-> Member_Spent", "Member_Earned --> view_MemberCard",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)\n\(mermaid)")
        }
    }

    struct Rect: Equatable {
        var kind: String, x: Int, y: Int, width: Int, height: Int
        func overlaps(_ other: Rect) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
        }
        func contains(_ other: Rect) -> Bool {
            other.x >= x && other.y >= y && other.x + other.width <= x + width && other.y + other.height <= y + height
        }
    }

    /// Reads the SVG with an XML parser (it must be well-formed) and returns its boxes, lanes
    /// and texts.
    final class SVGReader: NSObject, XMLParserDelegate {
        var rects: [Rect] = []
        var texts: [String] = []
        var size = (width: 0, height: 0)
        private var text: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "svg" { size = (Int(attributes["width"] ?? "") ?? 0, Int(attributes["height"] ?? "") ?? 0) }
            if name == "rect", let kind = attributes["class"] {
                rects.append(Rect(kind: kind, x: Int(attributes["x"] ?? "") ?? -1, y: Int(attributes["y"] ?? "") ?? -1,
                                  width: Int(attributes["width"] ?? "") ?? 0, height: Int(attributes["height"] ?? "") ?? 0))
            }
            if name == "text" { text = "" }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", let text { texts.append(text) }
            text = nil
        }
    }

    static func checkSVG(_ diagram: DomainDiagram, names: [String], label: String) throws {
        let reader = SVGReader()
        let parser = XMLParser(data: Data(diagram.svg().utf8))
        parser.delegate = reader
        #expect(parser.parse(), "\(label): the SVG is not well-formed: \(String(describing: parser.parserError))")
        let boxes = reader.rects.filter { $0.kind != "lane" }
        let lanes = reader.rects.filter { $0.kind == "lane" }
        #expect(boxes.count == names.count, "\(label): one box per command, event and view")
        for name in names { #expect(reader.texts.contains(name), "\(label): \(name) is not drawn") }
        for (index, box) in boxes.enumerated() {
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= reader.size.width && box.y + box.height <= reader.size.height, "\(label): \(box) leaves the canvas")
            for other in boxes[(index + 1)...] { #expect(!box.overlaps(other), "\(label): \(box) overlaps \(other)") }
            if box.kind != "view" { #expect(lanes.contains { $0.contains(box) }, "\(label): \(box) is outside every lane") }
        }
        for (index, lane) in lanes.enumerated() {
            for other in lanes[(index + 1)...] { #expect(!lane.overlaps(other), "\(label): lanes overlap") }
        }
    }

    @Test func theSVGIsWellFormedAndItsBoxesDoNotOverlap() throws {
        try Self.checkSVG(try Self.diagram("Schemas/Bank/Bank.chronicle.yaml", module: "Bank"),
                          names: ["Open", "Deposit", "Withdraw", "Rename", "Notify", "Close", "Transfer", "Opened", "Deposited", "Withdrawn", "Renamed",
                                  "Closed", "MessageSent", "AccountSummary", "AccountHistory", "BankTotals"], label: "Bank")
        let loyalty = try Self.diagram("Tests/Loyalty/Loyalty.chronicle.yaml", module: "Loyalty")
        #expect(loyalty.svg().contains(">irreversible</text>"))
        for seed in 0..<40 as Range<UInt64> {
            let schema = RandomSchema(seed: seed, prefix: "R")
            let diagram = try Self.diagram(text: schema.yaml, module: "Random")
            // Every name the Mermaid form lists is a box of the SVG.
            let names = diagram.mermaid().split(separator: "\n").compactMap { line -> String? in
                guard !line.contains("subgraph"), let open = line.range(of: "\""), let close = line.range(of: "\"", range: open.upperBound..<line.endIndex) else { return nil }
                return String(line[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "<br/><i>irreversible</i>", with: "")
            }
            try Self.checkSVG(diagram, names: names, label: "random schema \(seed)")
        }
    }
}
