import ConvergeInventory
import ConvergeModel
import Foundation

/// The inventory as a CycloneDX 1.6 hardware bill of materials: one `device` component per
/// asset (manufacturer, model, serial, addresses, role and Purdue level as properties), with its
/// firmware as a nested `firmware` component.
enum CycloneDX {
    struct Document: Encodable {
        var bomFormat = "CycloneDX"
        var specVersion = "1.6"
        var serialNumber = "urn:uuid:" + UUID().uuidString.lowercased()
        var version = 1
        var metadata: Metadata
        var components: [Component]
    }

    struct Metadata: Encodable {
        var timestamp: String
        var tools: Tools
    }

    struct Tools: Encodable {
        var components: [Component]
    }

    struct Component: Encodable {
        var type: String
        var bomRef: String?
        var name: String
        var version: String?
        var manufacturer: Entity?
        var description: String?
        var properties: [Property]?
        var components: [Component]?

        enum CodingKeys: String, CodingKey {
            case type, bomRef = "bom-ref", name, version, manufacturer, description, properties, components
        }
    }

    struct Entity: Encodable { var name: String }
    struct Property: Encodable {
        var name: String
        var value: String
    }

    static func document(_ assets: [Asset]) throws -> String {
        let formatter = ISO8601DateFormatter()
        let document = Document(
            metadata: Metadata(
                timestamp: formatter.string(from: Date()),
                tools: Tools(components: [Component(type: "application", name: "converge")])),
            components: assets.map(component))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    static func component(_ asset: Asset) -> Component {
        var properties: [Property] = [Property(name: "converge:role", value: asset.role.rawValue)]
        if let level = asset.level { properties.append(Property(name: "converge:purdue_level", value: level.rawValue)) }
        for address in asset.addresses { properties.append(Property(name: "converge:ip", value: "\(address.address)")) }
        for mac in asset.macs { properties.append(Property(name: "converge:mac", value: mac)) }
        let kinds: [AssetFact.Kind] = [.serial, .productCode, .moduleName, .hostname, .os, .plantID]
        for kind in kinds {
            if let value = asset.current(kind) { properties.append(Property(name: "converge:\(kind.rawValue)", value: value)) }
        }
        let vendor = asset.current(.vendor) ?? asset.macVendor
        let name = asset.current(.model) ?? asset.current(.productCode) ?? asset.current(.hostname) ?? asset.id
        let firmware = asset.current(.firmware) ?? asset.current(.revision)
        return Component(
            type: "device", bomRef: asset.id, name: name, version: firmware, manufacturer: vendor.map(Entity.init),
            description: asset.role.label, properties: properties,
            components: firmware.map { [Component(type: "firmware", bomRef: asset.id + "#firmware", name: name + " firmware", version: $0)] })
    }
}
