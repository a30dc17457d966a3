import ChronicleCodegen
import Testing

@Suite("Template overrides")
struct TemplateOverrideTests {
    static let schema = SchemaSource(path: "Shop.chronicle.yaml", text: """
        chronicle: 1
        types:
          Money: { alias: Int }
        """)

    @Test func anOverrideReplacesTheBuiltInTemplate() {
        let override = "{{%CONTENT_TYPE:TEXT}}\n// custom: {{name}}\npublic typealias {{name}} = {{{underlying}}}\n"
        let result = Generator(moduleName: "Shop", templateOverrides: ["type": ("Templates/type.mustache", override)]).generate([Self.schema])
        #expect(result.succeeded)
        #expect(result.files.first?.contents.contains("// custom: Money\npublic typealias Money = Int") == true)
    }

    @Test func aBrokenOverrideIsReportedAtItsPath() {
        let result = Generator(moduleName: "Shop", templateOverrides: ["type": ("Templates/type.mustache", "{{#open}} never closed")]).generate([Self.schema])
        #expect(!result.succeeded)
        #expect(result.diagnostics.first?.description.hasPrefix("Templates/type.mustache:1:") == true)
        #expect(result.diagnostics.first?.description.contains("error: template 'type' does not parse") == true)
    }

    @Test func anOverrideOfNoTemplateIsReported() {
        let result = Generator(moduleName: "Shop", templateOverrides: ["typo": ("Templates/typo.mustache", "x")]).generate([Self.schema])
        #expect(result.diagnostics.map(\.description) == ["Templates/typo.mustache:1:1: error: no built-in template is named 'typo'"])
    }
}
