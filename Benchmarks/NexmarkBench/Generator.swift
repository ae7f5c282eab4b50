import Foundation
import SluiceLog

/// A deterministic Nexmark event generator: persons, auctions and bids as JSON, after
/// nexmark/nexmark's `NexmarkGenerator` defaults (`GeneratorConfig`, `PersonGenerator`,
/// `AuctionGenerator`, `BidGenerator`), with its own random numbers (xoshiro256**), so the
/// shapes and the mix match Nexmark's, not the bytes.
///
/// * Event ids 0, 1, 2...: of every 50, 1 person, 3 auctions, 46 bids (`offset % 50` 0, 1-3, 4-49).
/// * Event time: `baseMillis + eventId * 1000 / eventRate` (10,000 events/s over the three
///   streams by default, as `../shared/bench/gen_bids.py`; 1,000 gives every event its own ms).
/// * Persons: id from 1000 up, "First Last" of Nexmark's name lists, email, credit card, one of
///   Nexmark's 10 US cities and 6 states, `extra` padding the record to ~200 B.
/// * Auctions: id from 1000 up, itemName (3-19 chars), description (3-99), initialBid and reserve
///   (Nexmark prices), expires = dateTime + 1...2 x the time of 1,666 events, seller (75% one of
///   the hot sellers, else a recent person), category 10-14, `extra` to ~500 B.
/// * Bids: 99% on the hot auction (`lastAuction / 100 * 100`) else one of the ~110 in flight; 99%
///   by the hot bidder else one of ~1,010 active people; price `round(10^(6u) * 100)`; 50% one of 4
///   hot channels, else `channel-N` (N < 10,000) with its url; `extra` 54-81 chars (~100 B).
struct NexmarkGenerator {
    static let baseMillis: Int64 = 1_700_000_000_000
    static let firstPersonId: Int64 = 1000
    static let firstAuctionId: Int64 = 1000
    static let firstCategoryId: Int64 = 10
    static let personProportion: Int64 = 1
    static let auctionProportion: Int64 = 3
    static let bidProportion: Int64 = 46
    static let totalProportion: Int64 = 50
    static let numInFlightAuctions: Int64 = 100
    static let numActivePeople: Int64 = 1000
    static let hotRatio: Int64 = 100         // hot auctions, hot bidders, hot sellers id grid
    static let auctionIdLead: Int64 = 10
    static let personIdLead: Int64 = 10

    static let usStates = ["AZ", "CA", "ID", "OR", "WA", "WY"]
    static let usCities = [
        "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent",
        "Cheyenne",
    ]
    static let firstNames = ["Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"]
    static let lastNames = ["Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"]
    static let hotChannels = ["Google", "Facebook", "Baidu", "Apple"]
    static let channelsNumber = 10_000

    enum Kind: UInt8 { case person = 0, auction = 1, bid = 2 }

    var rng: Xoshiro256
    let eventRate: Int64
    private let hotUrls: [[UInt8]]
    private let channels: [(name: [UInt8], url: [UInt8])]
    /// Random lowercase letters that `extra` strings are sliced from (as gen_bids.py does).
    private let pool: [UInt8]

    init(seed: UInt64, eventRate: Int) {
        rng = Xoshiro256(seed: seed)
        self.eventRate = Int64(max(1, eventRate))
        var hot: [[UInt8]] = []
        for _ in Self.hotChannels { hot.append(Self.baseUrl(&rng)) }
        hotUrls = hot
        var chans: [(name: [UInt8], url: [UInt8])] = []
        chans.reserveCapacity(Self.channelsNumber)
        for c in 0..<Self.channelsNumber {
            var url = Self.baseUrl(&rng)
            if rng.nextInt(10) > 0 {
                // Nexmark: Math.abs(Integer.reverse(channelNumber)).
                let reversed = Int32(bitPattern: reverseBits(UInt32(truncatingIfNeeded: c)))
                url += Array("&channel_id=\(abs(Int64(reversed)))".utf8)
            }
            chans.append((Array("channel-\(c)".utf8), url))
        }
        channels = chans
        var p = [UInt8](repeating: 0, count: 1 << 20)
        for i in p.indices { p[i] = UInt8(ascii: "a") + UInt8(rng.nextInt(26)) }
        pool = p
    }

    static func kind(of eventId: Int64) -> Kind {
        let offset = eventId % totalProportion
        if offset < personProportion { return .person }
        if offset < personProportion + auctionProportion { return .auction }
        return .bid
    }

    func timestamp(of eventId: Int64) -> Int64 { Self.baseMillis + eventId * 1000 / eventRate }

    static func lastBase0PersonId(_ eventId: Int64) -> Int64 {
        let epoch = eventId / totalProportion
        var offset = eventId % totalProportion
        if offset >= personProportion { offset = personProportion - 1 }
        return epoch * personProportion + offset
    }

    static func lastBase0AuctionId(_ eventId: Int64) -> Int64 {
        var epoch = eventId / totalProportion
        var offset = eventId % totalProportion
        if offset < personProportion {
            epoch -= 1
            offset = auctionProportion - 1
        } else if offset >= personProportion + auctionProportion {
            offset = auctionProportion - 1
        } else {
            offset -= personProportion
        }
        return epoch * auctionProportion + offset
    }

    mutating func nextBase0PersonId(_ eventId: Int64) -> Int64 {
        let numPeople = Self.lastBase0PersonId(eventId) + 1
        let active = min(numPeople, Self.numActivePeople)
        return numPeople - active + rng.nextLong(active + Self.personIdLead)
    }

    mutating func nextBase0AuctionId(_ eventId: Int64) -> Int64 {
        let maxAuction = Self.lastBase0AuctionId(eventId)
        let minAuction = max(maxAuction - Self.numInFlightAuctions, 0)
        return minAuction + rng.nextLong(maxAuction - minAuction + 1 + Self.auctionIdLead)
    }

    mutating func nextPrice() -> Int64 { Int64((pow(10.0, rng.nextDouble() * 6.0) * 100.0).rounded()) }

    /// Nexmark's `nextString(random, maxLength)`: 3...maxLength-1 letters, about 1 in 13 a space.
    static func nextString(_ rng: inout Xoshiro256, _ maxLength: Int, special: UInt8 = UInt8(ascii: " ")) -> [UInt8] {
        let n = 3 + rng.nextInt(maxLength - 3)
        var s = [UInt8]()
        s.reserveCapacity(n)
        for _ in 0..<n {
            s.append(rng.nextInt(13) == 0 ? special : UInt8(ascii: "a") + UInt8(rng.nextInt(26)))
        }
        return s
    }

    static func baseUrl(_ rng: inout Xoshiro256) -> [UInt8] {
        var u = Array("https://www.nexmark.com/".utf8)
        u += nextString(&rng, 5, special: UInt8(ascii: "_")) + [UInt8(ascii: "/")]
        u += nextString(&rng, 5, special: UInt8(ascii: "_")) + [UInt8(ascii: "/")]
        u += nextString(&rng, 5, special: UInt8(ascii: "_"))
        u += Array("/item.htm?query=1".utf8)
        return u
    }

    /// Nexmark's `nextExtra`: letters making the record about `desiredAverageSize` bytes.
    mutating func appendExtra(currentSize: Int, desiredAverageSize: Int, to out: inout [UInt8]) {
        guard currentSize <= desiredAverageSize else { return }
        let desired = desiredAverageSize - currentSize
        let delta = Int((Double(desired) * 0.2).rounded())
        let size = desired - delta + (delta > 0 ? rng.nextInt(2 * delta) : 0)
        let offset = rng.nextInt(pool.count - size - 1)
        out.append(contentsOf: pool[offset..<(offset + size)])
    }

    /// The event with this id as a record of its topic: value = JSON, timestamp = dateTime; persons
    /// are keyed by id (KAFKA BIGINT, 8 bytes big-endian) so a table can be declared over them.
    mutating func event(_ eventId: Int64) -> (Kind, ProducerRecord) {
        let ts = timestamp(of: eventId)
        var out = [UInt8]()
        switch Self.kind(of: eventId) {
        case .person:
            out.reserveCapacity(224)
            let id = Self.lastBase0PersonId(eventId) + Self.firstPersonId
            let name = Array((Self.firstNames[rng.nextInt(Self.firstNames.count)] + " "
                + Self.lastNames[rng.nextInt(Self.lastNames.count)]).utf8)
            let email = Self.nextString(&rng, 7) + Array("@".utf8) + Self.nextString(&rng, 5) + Array(".com".utf8)
            var card = [UInt8]()
            for g in 0..<4 {
                if g > 0 { card.append(UInt8(ascii: " ")) }
                let v = rng.nextInt(10_000)
                card += [v / 1000, v / 100 % 10, v / 10 % 10, v % 10].map { UInt8(ascii: "0") + UInt8($0) }
            }
            let city = Array(Self.usCities[rng.nextInt(Self.usCities.count)].utf8)
            let state = Array(Self.usStates[rng.nextInt(Self.usStates.count)].utf8)
            out.lit("{\"id\":"); out.int(id)
            out.lit(",\"name\":\""); out += name
            out.lit("\",\"emailAddress\":\""); out += email
            out.lit("\",\"creditCard\":\""); out += card
            out.lit("\",\"city\":\""); out += city
            out.lit("\",\"state\":\""); out += state
            out.lit("\",\"dateTime\":"); out.int(ts)
            out.lit(",\"extra\":\"")
            appendExtra(
                currentSize: 8 + name.count + email.count + card.count + city.count + state.count,
                desiredAverageSize: 200, to: &out)
            out.lit("\"}")
            var key = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 { key[i] = UInt8(truncatingIfNeeded: UInt64(bitPattern: id) >> (56 - 8 * UInt64(i))) }
            return (.person, ProducerRecord(key: key, value: out, timestamp: ts))
        case .auction:
            out.reserveCapacity(560)
            let id = Self.lastBase0AuctionId(eventId) + Self.firstAuctionId
            var seller: Int64
            if rng.nextInt(4) > 0 {  // hotSellersRatio = 4
                seller = (Self.lastBase0PersonId(eventId) / Self.hotRatio) * Self.hotRatio
            } else {
                seller = nextBase0PersonId(eventId)
            }
            seller += Self.firstPersonId
            let category = Self.firstCategoryId + Int64(rng.nextInt(5))
            let initialBid = nextPrice()
            // nextAuctionLengthMs: 1 + nextLong(2 x the time until 100 more auctions exist).
            let numEventsForAuctions = Self.numInFlightAuctions * Self.totalProportion / Self.auctionProportion
            let horizon = timestamp(of: eventId + numEventsForAuctions) - ts
            let expires = ts + 1 + rng.nextLong(max(horizon * 2, 1))
            let itemName = Self.nextString(&rng, 20)
            let description = Self.nextString(&rng, 100)
            let reserve = initialBid + nextPrice()
            out.lit("{\"id\":"); out.int(id)
            out.lit(",\"itemName\":\""); out += itemName
            out.lit("\",\"description\":\""); out += description
            out.lit("\",\"initialBid\":"); out.int(initialBid)
            out.lit(",\"reserve\":"); out.int(reserve)
            out.lit(",\"dateTime\":"); out.int(ts)
            out.lit(",\"expires\":"); out.int(expires)
            out.lit(",\"seller\":"); out.int(seller)
            out.lit(",\"category\":"); out.int(category)
            out.lit(",\"extra\":\"")
            appendExtra(currentSize: 8 + itemName.count + description.count + 8 * 5, desiredAverageSize: 500, to: &out)
            out.lit("\"}")
            return (.auction, ProducerRecord(key: nil, value: out, timestamp: ts))
        case .bid:
            out.reserveCapacity(256)
            var auction: Int64
            if rng.nextInt(Int(Self.hotRatio)) > 0 {
                auction = (Self.lastBase0AuctionId(eventId) / Self.hotRatio) * Self.hotRatio
            } else {
                auction = nextBase0AuctionId(eventId)
            }
            auction += Self.firstAuctionId
            var bidder: Int64
            if rng.nextInt(Int(Self.hotRatio)) > 0 {
                bidder = (Self.lastBase0PersonId(eventId) / Self.hotRatio) * Self.hotRatio + 1
            } else {
                bidder = nextBase0PersonId(eventId)
            }
            bidder += Self.firstPersonId
            let price = nextPrice()
            let channel: [UInt8]
            let url: [UInt8]
            if rng.nextInt(2) > 0 {
                let i = rng.nextInt(Self.hotChannels.count)
                channel = Array(Self.hotChannels[i].utf8)
                url = hotUrls[i]
            } else {
                (channel, url) = channels[rng.nextInt(Self.channelsNumber)]
            }
            out.lit("{\"auction\":"); out.int(auction)
            out.lit(",\"bidder\":"); out.int(bidder)
            out.lit(",\"price\":"); out.int(price)
            out.lit(",\"channel\":\""); out += channel
            out.lit("\",\"url\":\""); out += url
            out.lit("\",\"dateTime\":"); out.int(ts)
            out.lit(",\"extra\":\"")
            appendExtra(currentSize: 32, desiredAverageSize: 100, to: &out)
            out.lit("\"}")
            return (.bid, ProducerRecord(key: nil, value: out, timestamp: ts))
        }
    }
}

private func reverseBits(_ x: UInt32) -> UInt32 {
    var v = x
    var r: UInt32 = 0
    for _ in 0..<32 {
        r = r << 1 | v & 1
        v >>= 1
    }
    return r
}

/// xoshiro256** seeded through SplitMix64.
struct Xoshiro256 {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in 0..<n (n > 0).
    mutating func nextInt(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func nextLong(_ n: Int64) -> Int64 { Int64(next() % UInt64(n)) }
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func lit(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func int(_ v: Int64) {
        if v < 0 { append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        Swift.withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[n] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                n += 1
            } while m > 0
            for i in stride(from: n - 1, through: 0, by: -1) { append(buf[i]) }
        }
    }
}
