import Foundation
import NIOCore
import Synchronization

/// One benchmark SSE client on a raw connection: sends the GET, then counts the events it
/// receives (`\nid: ` lines). A measured probe also reads each event's `sent_us` (the
/// wall-clock microseconds at which its append started) and records the delivery delay.
final class SSEProbe: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let request: String
    private let measured: Bool
    private let tally: SSETally
    private let index: Int
    /// The bytes from the end of the last complete SSE message on, for the next read.
    private var carry: [UInt8] = []
    private var sawStatus = false

    init(request: String, measured: Bool, tally: SSETally, index: Int) {
        self.request = request
        self.measured = measured
        self.tally = tally
        self.index = index
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let now = SSETally.wallMicros()
        carry.append(contentsOf: buffer.readableBytesView)
        if !sawStatus, carry.count >= 12 {
            sawStatus = true
            tally.connected(index, ok: carry.starts(with: Array("HTTP/1.1 200".utf8)))
        }
        guard let end = Self.lastMessageEnd(carry) else { return }
        let (events, delays) = Self.scan(carry[..<end], measured: measured, now: now)
        // The "\n" that ends the last message stays: the next frame's "\nid: " starts with it.
        carry.removeFirst(end - 1)
        tally.received(index, events: events, delays: delays)
    }

    func channelInactive(context: ChannelHandlerContext) {
        tally.closed(index)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private static let idLine = Array("\nid: ".utf8)
    private static let sentField = Array("\"sent_us\":".utf8)

    /// The index just after the last "\n\n" (the end of an SSE message) past the first
    /// byte (the kept "\n"), if any.
    static func lastMessageEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        var index = bytes.count - 1
        while index > 1 {
            if bytes[index] == 10, bytes[index - 1] == 10 { return index + 1 }
            index -= 1
        }
        return nil
    }

    /// Counts events; for a measured probe, each event's sending time and delay, in µs.
    static func scan(_ bytes: ArraySlice<UInt8>, measured: Bool, now: Int64) -> (Int, [(Int64, Int64)]) {
        var events = 0
        var delays: [(Int64, Int64)] = []
        var cursor = bytes.startIndex
        while let match = find(idLine, in: bytes, from: cursor) {
            events += 1
            cursor = match + idLine.count
            guard measured, let field = find(sentField, in: bytes, from: cursor) else { continue }
            var position = field + sentField.count
            while position < bytes.endIndex, bytes[position] == 32 { position += 1 }
            var sent: Int64 = 0
            while position < bytes.endIndex, (48...57).contains(bytes[position]) {
                sent = sent * 10 + Int64(bytes[position] - 48)
                position += 1
            }
            delays.append((sent, now - sent))
            cursor = position
        }
        return (events, delays)
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard start < haystack.endIndex, let first = needle.first else { return nil }
        return haystack.withUnsafeBufferPointer { bytes in
            let base = haystack.startIndex
            var index = start - base
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == first, (1..<needle.count).allSatisfy({ bytes[index + $0] == needle[$0] }) {
                    return base + index
                }
                index += 1
            }
            return nil
        }
    }
}
