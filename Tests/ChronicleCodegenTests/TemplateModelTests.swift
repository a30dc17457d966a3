@testable import ChronicleCodegen
import Testing

/// The templates read a typed model: every name a template reads is a property of its model,
/// and every property is read by some built-in template.
@Suite("Template model")
struct TemplateModelTests {
    @Test func builtInTemplatesReadEveryPropertyAndNothingElse() throws {
        let coverage = try Generator.checkTemplates(Generator.builtInTemplates)
        #expect(coverage.all.count > 100, "\(coverage.all)")
        #expect(!coverage.all.contains { $0.hasPrefix("?.") }, "every list of the model has an element in the reference schema")
        let unread = coverage.all.filter { !coverage.used.contains($0) }
        #expect(unread.isEmpty, "properties no built-in template reads: \(unread)")
    }

    static let schema = SchemaSource(path: "Shop.chronicle.yaml", text: "chronicle: 1\ntypes:\n  Money: { alias: Int }\n")

    @Test func anOverrideThatReadsAMisspelledNameIsAnErrorAtItsPlace() {
        let override = "{{%CONTENT_TYPE:TEXT}}\n// {{name}}\npublic typealias {{name}} = {{{underlyng}}}\n"
        let result = Generator(moduleName: "Shop", templateOverrides: ["type": ("Templates/type.mustache", override)]).generate([Self.schema])
        #expect(result.diagnostics.map(\.description) == [
            "Templates/type.mustache:3:29: error: template 'type': the template reads 'underlyng', which TypeModel does not have\nTemplates/type.mustache:3:29: note: did you mean 'underlying'?",
        ])
        #expect(result.files.isEmpty)
    }

    @Test func anOverrideMayReadTheScopesAroundIt() {
        // `module` is not a property of CommandModel's fields, but of the command around them.
        let override = (Generator.builtInTemplates["command"] ?? "") + "{{#fields}}// {{module}}.{{name}}\n{{/fields}}"
        let result = Generator(moduleName: "Shop", templateOverrides: ["command": ("command.mustache", override)]).generate([Self.schema])
        #expect(result.succeeded, "\(result.diagnostics)")
    }

    @Test func anOverrideForAnotherModelVersionIsRefused() {
        let override = "{{! chronicle-template-model: 0 }}\n" + (Generator.builtInTemplates["type"] ?? "")
        let result = Generator(moduleName: "Shop", templateOverrides: ["type": ("type.mustache", override)]).generate([Self.schema])
        #expect(result.diagnostics.first?.headline == "type.mustache:1:1: error: template 'type': the template was written for template model 0; this generator renders version 1")
    }
}
