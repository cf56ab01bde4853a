import ConvergeModel

extension MMS {
    /// What a confirmed service names: variables, lists, domains, programs, files, identities.
    static func serviceTargets(
        _ frame: Frame, service: BERElement, pdu: Span<UInt8>, into targets: inout [Message.Target]
    ) {
        let isRequest = frame.pduType == PDUType.confirmedRequest
        let items = service.constructed ? children(service, in: pdu) : []
        switch (frame.service, isRequest) {
        case (4, true):
            // variableAccessSpecification [1] is explicit (a CHOICE): the choice is inside it.
            if let wrapper = items.first(where: { $0.number == 1 }), let access = firstChild(of: wrapper, in: pdu) {
                variableAccess(access, pdu: pdu, into: &targets)
            }
        case (4, false):
            if let results = items.first(where: { $0.number == 1 && $0.constructed }) {
                dataTargets(results, names: [], pdu: pdu, into: &targets)
            }
        case (5, true):
            guard let access = items.first else { break }
            var named: [Message.Target] = []
            variableAccess(access, pdu: pdu, into: &named)
            attach(named, values: items.count > 1 ? items[1] : nil, pdu: pdu, into: &targets)
        case (6, true):
            if let name = items.first, let object = firstChild(of: name, in: pdu) {
                appendName(object, kind: TargetKind.namedVariable, pdu: pdu, into: &targets)
            }
        case (11, true), (12, true):
            if let object = frame.service == 12 ? firstChild(of: service, in: pdu) : items.first {
                appendName(object, kind: TargetKind.variableList, pdu: pdu, into: &targets)
            }
        case (13, true):
            if let list = items.first(where: { $0.number == 1 }) {
                for object in children(list, in: pdu) {
                    appendName(object, kind: TargetKind.variableList, pdu: pdu, into: &targets)
                }
            }
        case (1, true):
            let objectClass = items.first(where: { $0.number == 0 }).flatMap { firstChild(of: $0, in: pdu) }
            let scope = items.first(where: { $0.number == 1 }).flatMap { firstChild(of: $0, in: pdu) }
            let domain = scope.flatMap { $0.number == 1 ? text($0, in: pdu) : nil }
            targets.append(
                Message.Target(
                    kind: TargetKind.nameList, address: Int(objectClass.flatMap { signed($0, in: pdu) } ?? -1),
                    name: domain))
        case (1, false):
            if let list = items.first(where: { $0.number == 0 }) {
                for identifier in children(list, in: pdu) {
                    targets.append(
                        Message.Target(kind: TargetKind.name, address: targets.count, name: text(identifier, in: pdu)))
                }
            }
        case (2, false):
            var fields: [String] = ["", "", ""]
            for item in items where item.isContext && item.number < 3 { fields[Int(item.number)] = text(item, in: pdu) }
            targets.append(
                Message.Target(
                    kind: TargetKind.identity, address: 0, name: fields[0],
                    value: fields[1] + " " + fields[2]))
        case (26...37, true), (38...45, true):
            let kind = frame.service >= 38 ? TargetKind.programInvocation : TargetKind.domain
            if !service.constructed {
                if frame.service != 30, frame.service != 31 {
                    targets.append(Message.Target(kind: kind, address: 0, name: text(service, in: pdu)))
                }
            } else if let first = items.first, first.isContext, first.number == 0, !first.constructed {
                targets.append(Message.Target(kind: kind, address: 0, name: text(first, in: pdu)))
            }
        case (46, true), (72...77, true):
            fileNames(service, pdu: pdu, depth: 0, into: &targets)
        default:
            break
        }
    }

    /// VariableAccessSpecification: listOfVariable [0] (each a SEQUENCE whose first element is
    /// the variable specification; name [0] holds an ObjectName) or variableListName [1].
    static func variableAccess(_ access: BERElement, pdu: Span<UInt8>, into targets: inout [Message.Target]) {
        guard access.isContext, access.constructed else { return }
        if access.number == 1 {
            if let object = firstChild(of: access, in: pdu) {
                appendName(object, kind: TargetKind.variableList, pdu: pdu, into: &targets)
            }
            return
        }
        guard access.number == 0 else { return }
        for entry in children(access, in: pdu) {
            guard let specification = firstChild(of: entry, in: pdu), specification.isContext,
                specification.number == 0, let object = firstChild(of: specification, in: pdu)
            else { continue }
            appendName(object, kind: TargetKind.namedVariable, pdu: pdu, into: &targets)
        }
    }

    static func appendName(_ object: BERElement, kind: String, pdu: Span<UInt8>, into targets: inout [Message.Target]) {
        guard let (domain, item) = objectName(object, in: pdu) else { return }
        let name = domain.map { $0 + "/" + item } ?? item
        targets.append(Message.Target(kind: kind, address: targets.count, name: name))
    }

    /// Data or AccessResults, one target each; with `names`, the n-th value goes to the n-th name.
    static func dataTargets(
        _ list: BERElement, names: [Message.Target], pdu: Span<UInt8>, into targets: inout [Message.Target]
    ) {
        let values = children(list, in: pdu)
        let count = max(values.count, names.count)
        for index in 0..<min(count, maxTargets) {
            var target =
                index < names.count
                ? names[index] : Message.Target(kind: TargetKind.data, address: index)
            if index < values.count {
                let value = dataValue(values[index], in: pdu)
                if let integer = value.integer { target.values = [integer] }
                target.value = value.text ?? value.integer.map(String.init)
            }
            targets.append(target)
        }
    }

    /// Values go to the variables named one by one; a named list stays a target of its own and
    /// its values follow as unnamed data.
    static func attach(
        _ named: [Message.Target], values: BERElement?, pdu: Span<UInt8>, into targets: inout [Message.Target]
    ) {
        guard let values else {
            targets += named
            return
        }
        if named.first?.kind == TargetKind.variableList {
            targets += named
            dataTargets(values, names: [], pdu: pdu, into: &targets)
        } else {
            dataTargets(values, names: named, pdu: pdu, into: &targets)
        }
    }

    /// InformationReport: a variable access specification, then [0] the access results.
    static func informationReport(_ report: BERElement, pdu: Span<UInt8>, into targets: inout [Message.Target]) {
        let items = children(report, in: pdu)
        guard let access = items.first else { return }
        var named: [Message.Target] = []
        variableAccess(access, pdu: pdu, into: &named)
        attach(named, values: items.count > 1 ? items[1] : nil, pdu: pdu, into: &targets)
    }

    /// File names: every run of GraphicStrings (a FileName) inside the service, joined.
    static func fileNames(_ element: BERElement, pdu: Span<UInt8>, depth: Int, into targets: inout [Message.Target]) {
        guard element.constructed, depth < 4 else { return }
        var name = ""
        for item in children(element, in: pdu) {
            if item.isUniversal, item.number == Universal.graphicString || item.number == Universal.visibleString {
                name += text(item, in: pdu)
            } else {
                fileNames(item, pdu: pdu, depth: depth &+ 1, into: &targets)
            }
        }
        if !name.isEmpty { targets.append(Message.Target(kind: TargetKind.file, address: targets.count, name: name)) }
    }
}
