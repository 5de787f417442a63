import Domain
import Foundation
import NATS

extension Relay {
    /// An event published and awaiting its ack.
    struct InFlightEvent: Sendable {
        let cursor: Cursor
        let ack: PendingAck
    }

    /// Where a session starts: after `cursor`, expecting the stream's last sequence.
    struct ResumePoint: Sendable {
        let cursor: Cursor
        let lastSequence: UInt64
    }

    /// Publishes from the resume point until a publish fails or the task is cancelled.
    func publishSession(_ jetStream: JetStream) async throws {
        try await jetStream.createOrUpdateStream(configuration.stream)
        let resume = try await resumePoint(jetStream)
        logger.info("relay: publishing", metadata: [
            "after": "\(resume.cursor)", "stream": "\(configuration.streamName)",
            "stream_last_sequence": "\(resume.lastSequence)"])
        let (inFlight, continuation) = AsyncStream.makeStream(of: InFlightEvent.self)
        defer { continuation.finish() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await publishEvents(jetStream, from: resume, into: continuation)
            }
            group.addTask { try await confirm(inFlight) }
            group.addTask { await saveCheckpoints() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func publishEvents(_ jetStream: JetStream, from resume: ResumePoint,
                               into inFlight: AsyncStream<InFlightEvent>.Continuation) async throws {
        var expectedLastSequence = resume.lastSequence
        var reportedTypes: Set<String> = []
        for try await event in store.subscribe(after: resume.cursor, batchSize: configuration.batchSize) {
            let message = try natsMessage(for: event, reportedTypes: &reportedTypes)
            let options = PublishOptions(
                messageID: event.id.uuidString.lowercased(),
                expectedLastSequence: expectedLastSequence == 0 ? nil : expectedLastSequence,
                ackTimeout: configuration.ackTimeout)
            let ack = try await jetStream.publish(message, options: options)
            expectedLastSequence += 1
            inFlight.yield(InFlightEvent(cursor: event.cursor, ack: ack))
        }
    }

    private func natsMessage(for event: RecordedEvent, reportedTypes: inout Set<String>) throws -> OutgoingMessage {
        var fallback: EventCodingError?
        let envelope = try event.envelope(dataFallback: &fallback)
        if let fallback {
            logger.warning("relay: payload does not fit its schema; published as JSON",
                           metadata: ["event_id": "\(event.id)", "error": "\(fallback)"])
        } else if envelope.dataContentType != "application/protobuf", reportedTypes.insert(event.type).inserted {
            logger.warning("relay: no schema for this event type; its events are published with JSON data",
                           metadata: ["type": "\(event.type)"])
        }
        return OutgoingMessage(subject: event.subject(prefix: configuration.subjectPrefix),
                               headers: event.natsHeaders, payload: try envelope.serializedBytes())
    }

    /// Awaits the acks in publish order; the acked prefix is what is published.
    private func confirm(_ inFlight: AsyncStream<InFlightEvent>) async throws {
        for await event in inFlight {
            let ack = try await event.ack.value()
            if ack.duplicate {
                logger.debug("relay: JetStream already held this event", metadata: ["cursor": "\(event.cursor)"])
            }
            status.update {
                $0.published = event.cursor
                $0.publishedCount += 1
            }
        }
    }

    /// Saves the published cursor every `checkpointInterval`. When the relay stops, the
    /// checkpoint may trail by that much: the next session resumes after the stream's
    /// last message, which is exact.
    private func saveCheckpoints() async {
        var saved: Cursor?
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.checkpointInterval)
            if Task.isCancelled { return }
            saved = await saveCheckpoint(ifChangedFrom: saved)
        }
    }

    private func saveCheckpoint(ifChangedFrom saved: Cursor?) async -> Cursor? {
        guard let published = status.snapshot.published, published != saved else { return saved }
        do {
            try await store.saveCheckpoint(configuration.checkpointName, at: published)
            return published
        } catch {
            if Task.isCancelled { return saved }
            logger.warning("relay: cannot save the checkpoint", metadata: ["error": "\(error)"])
            return saved
        }
    }
}
