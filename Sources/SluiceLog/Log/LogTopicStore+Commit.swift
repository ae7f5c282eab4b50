/// Transactions: output records and consumer offsets that become visible, and survive a crash,
/// together.
///
/// The protocol, per ``commit(_:)``:
/// 1. Lock the writers of every output partition, in (topic, partition) order so concurrent
///    transactions cannot deadlock: first the in-process locks, then the partitions' `flock`s
///    (other processes use the same order), catching up with other processes' appends.
/// 2. Write each partition's records as transactional batches (producer id = the transaction id),
///    unpublished: no reader sees them yet.
/// 3. fsync those partitions (unless syncing is off).
/// 4. Append the commit entry to the ``CommitJournal`` and fsync it: the commit point.
/// 5. Lock every output partition's published state, publish all of them and the group's offsets,
///    unlock: readers see all of the transaction or none of it.
///
/// A failure before step 4 truncates the unpublished batches and throws; nothing is visible and the
/// offsets are unchanged. A crash before step 4 leaves transactional batches past the partitions'
/// committed ends, which the next open truncates (see `PartitionLog.open`). A crash after step 4
/// keeps everything: open finds the commit entry and the batches it covers.
extension LogTopicStore {
    public func commit(_ transaction: StoreTransaction) throws(TopicStoreError) {
        var order: [TopicPartition] = []
        var recordsByPartition: [TopicPartition: [ProducerRecord]] = [:]
        for (partition, records) in transaction.appends where !records.isEmpty {
            if recordsByPartition[partition] == nil { order.append(partition) }
            recordsByPartition[partition, default: []].append(contentsOf: records)
        }
        for (partition, records) in recordsByPartition { try checkRecordSizes(records, partition) }
        let partitions = order.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        var logs: [PartitionLog] = []
        for partition in partitions { logs.append(try partitionLog(partition)) }
        let offsets = transaction.group == nil ? [:] : transaction.offsets
        // As Kafka does, refuse offsets for partitions that do not exist.
        for partition in offsets.keys { _ = try partitionLog(partition) }
        if logs.isEmpty && offsets.isEmpty { return }

        let transactionId = journal.nextTransactionId()
        let fields = RecordBatchEncoder.Fields(attributes: .transactional, producerId: transactionId, producerEpoch: 0)
        var encoded: [PartitionLog.EncodedAppend] = []
        for partition in partitions {
            // Sizes were checked above, before any partition was looked up.
            encoded.append(
                try PartitionLog.EncodedAppend(
                    recordsByPartition[partition]!, fields: fields, maxBatchBytes: options.maxBatchBytes,
                    appendTime: appendTime(for: logs[encoded.count]), partition: partition))
        }
        let rolled = try writeAndPublish(
            transactionId: transactionId, group: transaction.group, offsets: offsets, partitions: partitions, logs: logs,
            encoded: &encoded)
        notifier.notify()
        if options.maintenanceOnRoll { for log in rolled { maintenance.schedule(log) } }
    }

    /// Steps 1–5 of the protocol above; returns the partitions that rolled a segment.
    private func writeAndPublish(
        transactionId: Int64, group: String?, offsets: [TopicPartition: Int64], partitions: [TopicPartition],
        logs: [PartitionLog], encoded: inout [PartitionLog.EncodedAppend]
    ) throws(TopicStoreError) -> [PartitionLog] {
        for log in logs { log.writeLock.lock() }
        defer { for log in logs.reversed() { log.writeLock.unlock() } }
        // Then the partitions' cross-process locks, in the same order in every process.
        var begun: [PartitionLog] = []
        defer { for log in begun.reversed() { log.endWrite() } }
        for log in logs {
            try log.checkWritable()
            try log.beginWrite()
            begun.append(log)
        }

        var rolled: [PartitionLog] = []
        var staged = 0
        var outputs: [TopicPartition: Int64] = [:]
        do throws(TopicStoreError) {
            for index in logs.indices {
                if try logs[index].stageTransaction(&encoded[index]) { rolled.append(logs[index]) }
                staged = index + 1
                outputs[partitions[index]] = logs[index].logEnd
            }
            if options.sync != .never { for log in logs { try log.syncActiveSegment() } }
            try journal.write(
                .commit(transactionId: transactionId, group: group, offsets: offsets, outputs: outputs))
        } catch {
            for log in logs[0..<staged] { log.rollbackUnpublished() }
            throw error
        }

        for log in logs { log.stateLock.lock() }
        for log in logs { log.publishLocked() }
        if let group, !offsets.isEmpty { journal.publish(group: group, offsets: offsets) }
        for log in logs.reversed() { log.stateLock.unlock() }
        return rolled
    }
}
