extension RandomAccessCollection where Index == Int {
    /// The number of leading elements that satisfy `isBefore`, for a collection in which every
    /// element satisfying it comes before every element that does not (a binary search).
    func partitionPoint(_ isBefore: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if isBefore(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low - startIndex
    }
}
