import SluiceLog

/// Reads several partitions of one topic up to their end offsets, merging records by timestamp
/// (ties by partition), in bounded memory: each partition keeps one small batch buffered.
///
/// Each partition starts at the offset it is given and ends at its end offset when the reader is
/// made; ``extendEnds()`` moves the ends on (for `--follow`). ``consumedPositions`` says, per
/// partition, the offset after the last record ``next()`` returned, which is what a consumer group
/// commits: records buffered but not yet returned are not counted.
struct MergedTopicReader {
    let store: any TopicStore
    let topic: String
    private var buffers: [Int: [ConsumedRecord]] = [:]
    private var nextOffsets: [Int: Int64] = [:]
    private var endOffsets: [Int: Int64] = [:]
    private let batchSize = 500

    /// - Parameter startOffsets: the first offset to read, per partition read.
    init(store: any TopicStore, topic: String, startOffsets: [Int: Int64]) throws(CommandFailure) {
        self.store = store
        self.topic = topic
        for (partition, start) in startOffsets {
            let tp = TopicPartition(topic, partition)
            do {
                endOffsets[partition] = try store.endOffset(tp)
            } catch {
                throw CommandFailure("cannot read '\(tp)': \(error.message)")
            }
            nextOffsets[partition] = start
            buffers[partition] = []
        }
    }

    /// Where each partition will be read next, as `waitForData` wants it.
    var positions: [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for (partition, offset) in nextOffsets { result[TopicPartition(topic, partition)] = offset }
        return result
    }

    /// Per partition, the offset of the first record not yet returned by ``next()``.
    var consumedPositions: [Int: Int64] {
        var result: [Int: Int64] = [:]
        for (partition, offset) in nextOffsets { result[partition] = buffers[partition]?.first?.offset ?? offset }
        return result
    }

    /// Whether records remain before the current end offsets.
    var hasMore: Bool {
        nextOffsets.contains { partition, offset in offset < endOffsets[partition]! || !(buffers[partition]?.isEmpty ?? true) }
    }

    /// Moves the end offsets to the partitions' current ends (for --follow).
    mutating func extendEnds() {
        for partition in endOffsets.keys {
            if let end = try? store.endOffset(TopicPartition(topic, partition)) { endOffsets[partition] = end }
        }
    }

    /// The record with the smallest timestamp among the partitions' next records.
    mutating func next() throws(CommandFailure) -> (Int, ConsumedRecord)? {
        var best: (partition: Int, timestamp: Int64)?
        for partition in buffers.keys.sorted() {
            if buffers[partition]!.isEmpty { try refill(partition) }
            guard let head = buffers[partition]!.first else { continue }
            if best == nil || head.timestamp < best!.timestamp { best = (partition, head.timestamp) }
        }
        guard let best else { return nil }
        let record = buffers[best.partition]!.removeFirst()
        return (best.partition, record)
    }

    private mutating func refill(_ partition: Int) throws(CommandFailure) {
        let offset = nextOffsets[partition]!
        let end = endOffsets[partition]!
        guard offset < end else { return }
        let tp = TopicPartition(topic, partition)
        do {
            let records = try store.read(tp, from: offset, maxRecords: Int(min(Int64(batchSize), end - offset)))
            let kept = records.filter { $0.offset < end }
            buffers[partition] = kept
            if kept.count < records.count {
                nextOffsets[partition] = end  // the rest is read once the end moves (--follow)
            } else if let last = records.last {
                nextOffsets[partition] = last.offset + 1
            } else {
                // Nothing readable below the end (e.g. removed by retention or compaction): skip ahead.
                nextOffsets[partition] = end
            }
        } catch {
            throw CommandFailure("cannot read '\(tp)': \(error.message)")
        }
    }
}
