import AsyncAlgorithms
import Domain
import Foundation
import NATS

extension Relay {
    /// An event published and awaiting its ack.
    struct InFlightEvent: Sendable {
        let cursor: Cursor
        let ack: PendingAck
    }

    /// An event encoded for NATS.
    struct EncodedEvent: Sendable {
        let cursor: Cursor
        let id: String
        let message: OutgoingMessage
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
        // What an earlier session or leadership term published is not this session's to save.
        status.update { $0.published = resume.cursor }
        let maxPayload = jetStream.connection.maxPayload
        logger.info("relay: publishing", metadata: [
            "after": "\(resume.cursor)", "stream": "\(configuration.streamName)",
            "stream_last_sequence": "\(resume.lastSequence)"])
        let (inFlight, continuation) = AsyncStream.makeStream(of: InFlightEvent.self)
        defer { continuation.finish() }
        // Reading and encoding the next batch overlaps publishing the current one.
        let encoded = AsyncThrowingChannel<[EncodedEvent], any Error>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await encodeEvents(after: resume.cursor, maxPayload: maxPayload, into: encoded) }
            group.addTask {
                defer { continuation.finish() }
                try await publish(encoded, jetStream, expecting: resume.lastSequence, into: continuation)
            }
            group.addTask { try await confirm(inFlight) }
            group.addTask { await saveCheckpoints(startingAt: resume.cursor) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func encodeEvents(after cursor: Cursor, maxPayload: Int,
                              into channel: AsyncThrowingChannel<[EncodedEvent], any Error>) async throws
    {
        var reportedTypes: Set<String> = []
        var events = store.subscribe(after: cursor, batchSize: configuration.batchSize).makeAsyncIterator()
        do {
            while let batch = try await events.nextBatch() {
                await channel.send(try await encode(batch, maxPayload: maxPayload, reportedTypes: &reportedTypes))
            }
            channel.finish()
        } catch {
            channel.fail(error)
            throw error
        }
    }

    private func publish(_ batches: AsyncThrowingChannel<[EncodedEvent], any Error>, _ jetStream: JetStream,
                         expecting lastSequence: UInt64, into inFlight: AsyncStream<InFlightEvent>.Continuation)
        async throws
    {
        var expectedLastSequence = lastSequence
        for try await batch in batches {
            for event in batch {
                // Stop at once when cancelled: the lock may already belong to another relay.
                try Task.checkCancellation()
                let options = PublishOptions(
                    messageID: event.id, expectedLastSequence: expectedLastSequence, ackTimeout: configuration.ackTimeout)
                let ack = try await jetStream.publish(event.message, options: options)
                expectedLastSequence += 1
                inFlight.yield(InFlightEvent(cursor: event.cursor, ack: ack))
            }
        }
    }

    /// Encodes a batch, its two halves in parallel (the transcoding is the relay's largest
    /// CPU cost), then reports payloads that travel as JSON.
    private func encode(_ batch: [RecordedEvent], maxPayload: Int, reportedTypes: inout Set<String>) async throws
        -> [EncodedEvent]
    {
        let half = batch.count / 2
        let encoded: [(EncodedEvent, EventCodingError?)]
        if half < 32 {
            encoded = try encode(batch[...], maxPayload: maxPayload)
        } else {
            async let first = encode(batch[..<half], maxPayload: maxPayload)
            let second = try encode(batch[half...], maxPayload: maxPayload)
            encoded = try await first + second
        }
        for ((_, fallback), event) in zip(encoded, batch)
        where fallback != nil || EventRegistry.messageType(for: event.type) == nil {
            report(event, fallback: fallback, reportedTypes: &reportedTypes)
        }
        return encoded.map(\.0)
    }

    private func encode(_ events: ArraySlice<RecordedEvent>, maxPayload: Int) throws -> [(EncodedEvent, EventCodingError?)] {
        try events.map { event in
            var fallback: EventCodingError?
            var message = try event.natsMessage(subjectPrefix: configuration.subjectPrefix, dataFallback: &fallback)
            if message.size > maxPayload - 512 {
                // Never hold the log back: the event goes out without its data.
                logger.error("relay: event larger than NATS's maximum payload; published without its data",
                             metadata: ["event_id": "\(event.id)", "bytes": "\(message.size)", "max_payload": "\(maxPayload)"])
                message = try event.natsMessageWithoutData(subjectPrefix: configuration.subjectPrefix)
            }
            return (EncodedEvent(cursor: event.cursor, id: event.id.lowercaseString, message: message), fallback)
        }
    }

    private func report(_ event: RecordedEvent, fallback: EventCodingError?, reportedTypes: inout Set<String>) {
        if let fallback {
            logger.warning("relay: payload does not fit its schema; published as JSON",
                           metadata: ["event_id": "\(event.id)", "error": "\(fallback)"])
        } else if reportedTypes.insert(event.type).inserted {
            logger.warning("relay: no schema for this event type; its events are published with JSON data",
                           metadata: ["type": "\(event.type)"])
        }
    }

    /// Awaits the acks in publish order; the acked prefix is what is published.
    private func confirm(_ inFlight: AsyncStream<InFlightEvent>) async throws {
        for await event in inFlight {
            let ack = try await event.ack.value()
            if ack.duplicate {
                // Published with the wrong expectations: the next publishes would fail anyway.
                throw EventStoreError(.unavailable, "JetStream already held event \(event.cursor); resynchronising")
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
    private func saveCheckpoints(startingAt start: Cursor) async {
        var saved: Cursor? = start
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
