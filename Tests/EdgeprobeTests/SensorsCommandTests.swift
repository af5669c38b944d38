import Foundation
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct SensorsCommandTests {
    private func fixture(_ name: String) -> String {
        Repository.path("Tests/TelemetryTests/Fixtures/\(name)")
    }

    @Test func jsonOnAFixtureTreeNamesChipsLikeLibsensors() async throws {
        let result = try await EdgeprobeBinary.run(["sensors", "--json", "--root", fixture("x86")])
        #expect(result.status == 0)
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let chips = (record["temperatures"] as! [[String: Any]]).map { $0["chip"] as! String }
        #expect(chips == ["coretemp-isa-0000", "coretemp-isa-0000", "coretemp-isa-0000", "acpitz-acpi-0"])
        #expect(record["type"] as? String == "sensors")
    }

    @Test func jsonValidatesAgainstTheSchema() async throws {
        for name in ["x86", "raspberry-pi", "empty"] {
            let result = try await EdgeprobeBinary.run(["sensors", "--json", "--root", fixture(name)])
            let outcome = try await SchemaValidator.validate(result.stdout, schema: "sensors.schema.json")
            #expect(outcome.valid, "\(name): \(outcome.problems)")
        }
        let live = try await EdgeprobeBinary.run(["sensors", "--json"])
        #expect(try await SchemaValidator.validate(live.stdout, schema: "sensors.schema.json").valid)
    }

    @Test func noSensorIsSaidPlainly() async throws {
        let result = try await EdgeprobeBinary.run(["sensors", "--json", "--root", fixture("empty")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("no sensor found"))
        let record = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect((record["temperatures"] as! [Any]).isEmpty)
        #expect((record["unavailable"] as! [String: String])["temperatures"] != nil)
    }

    @Test func badSourceIsAUsageError() async throws {
        let result = try await EdgeprobeBinary.run(["sensors", "--source", "magic"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--source"))
    }
}
