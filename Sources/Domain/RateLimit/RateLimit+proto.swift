import Schemas

// Rate limits in their protobuf form (ratelimits.proto), both ways; 0 there is nil here.

extension RateLimit {
    var proto: Eventloom_V1_RateLimitValues {
        .with { $0.rpm = Int64(rpm ?? 0); $0.tpm = Int64(tpm ?? 0); $0.concurrent = Int64(concurrent ?? 0) }
    }

    init(_ message: Eventloom_V1_RateLimitValues) {
        func value(_ number: Int64) -> Int? { number == 0 ? nil : Int(clamping: number) }
        self.init(rpm: value(message.rpm), tpm: value(message.tpm), concurrent: value(message.concurrent))
    }
}
