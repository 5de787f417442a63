import Foundation
import NATS

extension Relay {
    /// After the stream's last message when it is an event of this log (the stream is
    /// the exact record of what was published); after the checkpoint otherwise.
    func resumePoint(_ jetStream: JetStream) async throws -> ResumePoint {
        let checkpoint = try await store.checkpoint(configuration.checkpointName)
        let state = try await jetStream.streamState(configuration.streamName)
        let fromCheckpoint = ResumePoint(cursor: checkpoint, lastSequence: state.lastSequence)
        guard state.messages > 0 else {
            if checkpoint != .start {
                logger.warning("relay: the stream is empty but the checkpoint is not; publishing from the checkpoint",
                               metadata: ["checkpoint": "\(checkpoint)"])
            }
            return fromCheckpoint
        }
        guard let last = try await lastEvent(jetStream, in: state) else {
            logger.warning("relay: none of the stream's last messages is an event of this log; publishing from the checkpoint",
                           metadata: ["checkpoint": "\(checkpoint)", "sequence": "\(state.lastSequence)"])
            return fromCheckpoint
        }
        if last < checkpoint {
            logger.warning("relay: the stream lacks events the checkpoint says were published; publishing them again",
                           metadata: ["stream_last": "\(last)", "checkpoint": "\(checkpoint)"])
        }
        return ResumePoint(cursor: last, lastSequence: state.lastSequence)
    }

    /// The cursor of the stream's last message that is an event of this log, looking back
    /// over at most 1,000 messages (others may have been published to the subjects).
    private func lastEvent(_ jetStream: JetStream, in state: StreamState) async throws -> Cursor? {
        let oldest = max(state.firstSequence, state.lastSequence > 1000 ? state.lastSequence - 999 : 1)
        for sequence in stride(from: state.lastSequence, through: oldest, by: -1) {
            if let cursor = try await event(jetStream, at: sequence) { return cursor }
        }
        return nil
    }

    /// The cursor of the event stored at `sequence`, if it is one of this log's events.
    private func event(_ jetStream: JetStream, at sequence: UInt64) async throws -> Cursor? {
        let message: NATSMessage
        do {
            message = try await jetStream.message(stream: configuration.streamName, sequence: sequence)
        } catch let error as NATSError where error.jetStreamCode == JetStreamErrorCode.messageNotFound {
            return nil
        }
        guard let position = message.header("Eventloom-Position"), let cursor = Cursor(position),
              let id = message.header("Nats-Msg-Id"),
              try await store.eventID(at: cursor)?.uuidString.lowercased() == id
        else { return nil }
        return cursor
    }
}
