import ConvergeModel
import ConvergeStore

/// The JSON shapes of `/api/alerts*`: times as ISO 8601, ATT&CK ids with their names.
enum AlertJSON {
    struct AlertOut: Encodable {
        var id: String
        var rule: String
        var title: String
        var severity: String
        var state: String
        var techniques: [Attack]
        var tactics: [Attack]
        var assets: [String]
        var firstSeen: String
        var lastSeen: String
        var count: Int
        var fields: [String: String]
        var evidence: [Alert.EvidenceFrame]
        var description: String
        var remediation: String

        init(_ a: Alert) {
            id = a.id
            rule = a.rule
            title = a.title
            severity = a.severity.rawValue
            state = a.state.rawValue
            techniques = a.techniques.map(Attack.init)
            tactics = a.tactics.map(Attack.init)
            assets = a.assets
            firstSeen = a.firstSeen.iso
            lastSeen = a.lastSeen.iso
            count = a.count
            fields = a.fields
            evidence = a.evidence
            description = a.description
            remediation = a.remediation
        }
    }

    struct Attack: Encodable {
        var id: String
        var name: String?
        init(_ id: String) {
            self.id = id
            name = AlertAttack.name(id)
        }
    }

    struct TriageOut: Encodable {
        var time: String
        var user: String
        var state: String
        var note: String
        init(_ e: TriageEntry) {
            time = e.time.iso
            user = e.user
            state = e.state.rawValue
            note = e.note
        }
    }

    struct List: Encodable {
        var total: Int
        var page: Int
        var perPage: Int
        var truncated: Bool
        var alerts: [AlertOut]
        var counts: AlertCounts
    }

    struct Detail: Encodable {
        var alert: AlertOut
        var triage: [TriageOut]
        /// The alert's assets (addresses or ids) that name a stored asset → that asset's id.
        var assetIDs: [String: String]
    }

    /// `POST /api/alerts/{id}/triage`: the new state and a note.
    struct TriageIn: Decodable {
        var state: String
        var note: String?
    }

    /// `POST /api/alerts/triage`: many alerts at once.
    struct BulkTriageIn: Decodable {
        var ids: [String]
        var state: String
        var note: String?
    }

    struct TriageDone: Encodable {
        var updated: [String]
        var state: String
    }
}
