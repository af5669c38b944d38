@testable import HTTPServer
import Testing

/// The refusals the server makes itself: the part at fault names the status and the answer's field.
@Suite struct HTTPServerRefusalTests {
    @Test func eachPartHasItsStatusAndName() {
        let malformed = HTTPServerRefusal(part: .request, problem: "malformed request: invalid method")
        let tooLarge = HTTPServerRefusal(part: .headers, problem: "the request head exceeds 16384 bytes or 100 fields")
        #expect(malformed.status == 400 && malformed.part.rawValue == "request")
        #expect(tooLarge.status == 431 && tooLarge.part.rawValue == "headers")
        let answer = HTTPServerRefusal.plainText(tooLarge)
        #expect(answer.status == 431 && answer.body == Array("the request head exceeds 16384 bytes or 100 fields\n".utf8))
    }
}
