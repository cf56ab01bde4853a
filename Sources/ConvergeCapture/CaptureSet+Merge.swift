extension CaptureSet {
    /// K-way merge: a binary min-heap of readers keyed on (current packet time, input index), so
    /// equal times keep the order the inputs were named in and each file keeps its own order.
    func merge(_ inputs: [CaptureReader], _ body: (borrowing PacketHeader, Span<UInt8>) -> Void) {
        var heap = ContiguousArray<CaptureReader>()
        heap.reserveCapacity(inputs.count)
        for reader in inputs where reader.advance() {
            heap.append(reader)
            siftUp(&heap, heap.count &- 1)
        }
        while let first = heap.first, !stopRequested {
            first.deliver(body)
            if !first.advance() {
                let last = heap.removeLast()
                if heap.isEmpty { break }
                heap[0] = last
            }
            siftDown(&heap, 0)
        }
    }

    @inline(__always)
    private func precedes(_ a: CaptureReader, _ b: CaptureReader) -> Bool {
        let left = a.header.timestamp.nanoseconds
        let right = b.header.timestamp.nanoseconds
        return left < right || (left == right && a.fileIndex < b.fileIndex)
    }

    private func siftUp(_ heap: inout ContiguousArray<CaptureReader>, _ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child &- 1) / 2
            guard precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ heap: inout ContiguousArray<CaptureReader>, _ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = parent &* 2 &+ 1
            guard left < count else { return }
            var smallest = left
            let right = left &+ 1
            if right < count && precedes(heap[right], heap[left]) { smallest = right }
            guard precedes(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
