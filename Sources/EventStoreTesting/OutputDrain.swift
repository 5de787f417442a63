import Foundation

/// Reads a child process's output pipe until its end, on a thread of its own, handing each
/// chunk to `onChunk` as it arrives.
///
/// Not `FileHandle.readabilityHandler`: on Linux that handler runs on Dispatch's threads,
/// fires again and again once the pipe has ended, and a handle released while it runs is
/// used after it was freed (the suite aborted once in a mutex of a released handle).
public final class OutputDrain: Sendable {
    private let ended = Locked(false)

    /// Starts reading `handle` (kept open until its end).
    public init(_ handle: FileHandle, onChunk: @escaping @Sendable (Data) -> Void) {
        let ended = self.ended
        let thread = Thread {
            Self.readToEnd(handle, onChunk: onChunk)
            ended.withLock { $0 = true }
        }
        thread.name = "eventloom.test.output"
        thread.stackSize = 1 << 18
        thread.start()
    }

    /// Whether the pipe has ended (every writer closed it) and everything was handed over.
    public var hasEnded: Bool { ended.value }

    /// Waits until the pipe has ended, at most `timeout`; whether it did.
    @discardableResult
    public func waitForEnd(timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !hasEnded && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return hasEnded
    }

    private static func readToEnd(_ handle: FileHandle, onChunk: (Data) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                onChunk(Data(buffer[0..<count]))
            } else if count == 0 || errno != EINTR {
                return
            }
        }
    }
}
