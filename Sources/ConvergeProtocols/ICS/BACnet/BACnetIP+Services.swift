import ConvergeModel

extension BACnetIP {
    /// BACnetConfirmedServiceChoice (clause 21), Wireshark's `bacapp.confirmed_service`.
    public enum ConfirmedService: UInt8, Sendable, CaseIterable {
        case acknowledgeAlarm = 0
        case confirmedCOVNotification = 1
        case confirmedEventNotification = 2
        case getAlarmSummary = 3
        case getEnrollmentSummary = 4
        case subscribeCOV = 5
        case atomicReadFile = 6
        case atomicWriteFile = 7
        case addListElement = 8
        case removeListElement = 9
        case createObject = 10
        case deleteObject = 11
        case readProperty = 12
        case readPropertyConditional = 13
        case readPropertyMultiple = 14
        case writeProperty = 15
        case writePropertyMultiple = 16
        case deviceCommunicationControl = 17
        case confirmedPrivateTransfer = 18
        case confirmedTextMessage = 19
        case reinitializeDevice = 20
        case vtOpen = 21
        case vtClose = 22
        case vtData = 23
        case authenticate = 24
        case requestKey = 25
        case readRange = 26
        case lifeSafetyOperation = 27
        case subscribeCOVProperty = 28
        case getEventInformation = 29
        case subscribeCOVPropertyMultiple = 30
        case confirmedCOVNotificationMultiple = 31
        case confirmedAuditNotification = 32
        case auditLogQuery = 33

        public var name: String {
            switch self {
            case .acknowledgeAlarm: "acknowledge_alarm"
            case .confirmedCOVNotification: "confirmed_cov_notification"
            case .confirmedEventNotification: "confirmed_event_notification"
            case .getAlarmSummary: "get_alarm_summary"
            case .getEnrollmentSummary: "get_enrollment_summary"
            case .subscribeCOV: "subscribe_cov"
            case .atomicReadFile: "atomic_read_file"
            case .atomicWriteFile: "atomic_write_file"
            case .addListElement: "add_list_element"
            case .removeListElement: "remove_list_element"
            case .createObject: "create_object"
            case .deleteObject: "delete_object"
            case .readProperty: "read_property"
            case .readPropertyConditional: "read_property_conditional"
            case .readPropertyMultiple: "read_property_multiple"
            case .writeProperty: "write_property"
            case .writePropertyMultiple: "write_property_multiple"
            case .deviceCommunicationControl: "device_communication_control"
            case .confirmedPrivateTransfer: "confirmed_private_transfer"
            case .confirmedTextMessage: "confirmed_text_message"
            case .reinitializeDevice: "reinitialize_device"
            case .vtOpen: "vt_open"
            case .vtClose: "vt_close"
            case .vtData: "vt_data"
            case .authenticate: "authenticate"
            case .requestKey: "request_key"
            case .readRange: "read_range"
            case .lifeSafetyOperation: "life_safety_operation"
            case .subscribeCOVProperty: "subscribe_cov_property"
            case .getEventInformation: "get_event_information"
            case .subscribeCOVPropertyMultiple: "subscribe_cov_property_multiple"
            case .confirmedCOVNotificationMultiple: "confirmed_cov_notification_multiple"
            case .confirmedAuditNotification: "confirmed_audit_notification"
            case .auditLogQuery: "audit_log_query"
            }
        }

        /// Reads, subscriptions and notifications are `read`; property, list and object changes
        /// `write`; writing a file object (how controllers take program and configuration images)
        /// `program`; communication control, reinitialisation and life-safety operations `control`.
        public var operation: Operation {
            switch self {
            case .confirmedCOVNotification, .confirmedEventNotification, .getAlarmSummary, .getEnrollmentSummary,
                .subscribeCOV, .atomicReadFile, .readProperty, .readPropertyConditional, .readPropertyMultiple,
                .readRange, .subscribeCOVProperty, .getEventInformation, .subscribeCOVPropertyMultiple,
                .confirmedCOVNotificationMultiple, .confirmedAuditNotification, .auditLogQuery:
                .read
            case .addListElement, .removeListElement, .createObject, .deleteObject, .writeProperty,
                .writePropertyMultiple:
                .write
            case .atomicWriteFile: .program
            case .deviceCommunicationControl, .reinitializeDevice, .lifeSafetyOperation: .control
            case .vtOpen, .vtClose, .vtData: .session
            case .authenticate, .requestKey: .auth
            case .acknowledgeAlarm, .confirmedPrivateTransfer, .confirmedTextMessage: .other
            }
        }

        /// The context tag that carries a password in the request, for the services that have one.
        var passwordTag: UInt8? {
            switch self {
            case .deviceCommunicationControl: 2
            case .reinitializeDevice: 1
            default: nil
            }
        }
    }

    /// BACnetUnconfirmedServiceChoice (clause 21), Wireshark's `bacapp.unconfirmed_service`.
    public enum UnconfirmedService: UInt8, Sendable, CaseIterable {
        case iAm = 0
        case iHave = 1
        case unconfirmedCOVNotification = 2
        case unconfirmedEventNotification = 3
        case unconfirmedPrivateTransfer = 4
        case unconfirmedTextMessage = 5
        case timeSynchronization = 6
        case whoHas = 7
        case whoIs = 8
        case utcTimeSynchronization = 9
        case writeGroup = 10
        case unconfirmedCOVNotificationMultiple = 11
        case unconfirmedAuditNotification = 12
        case whoAmI = 13
        case youAre = 14

        public var name: String {
            switch self {
            case .iAm: "i_am"
            case .iHave: "i_have"
            case .unconfirmedCOVNotification: "unconfirmed_cov_notification"
            case .unconfirmedEventNotification: "unconfirmed_event_notification"
            case .unconfirmedPrivateTransfer: "unconfirmed_private_transfer"
            case .unconfirmedTextMessage: "unconfirmed_text_message"
            case .timeSynchronization: "time_synchronization"
            case .whoHas: "who_has"
            case .whoIs: "who_is"
            case .utcTimeSynchronization: "utc_time_synchronization"
            case .writeGroup: "write_group"
            case .unconfirmedCOVNotificationMultiple: "unconfirmed_cov_notification_multiple"
            case .unconfirmedAuditNotification: "unconfirmed_audit_notification"
            case .whoAmI: "who_am_i"
            case .youAre: "you_are"
            }
        }

        /// Who-Is/I-Am/Who-Has/I-Have and device-id assignment are discovery; setting a device's
        /// clock is control; notifications report values (read); write-group writes.
        public var operation: Operation {
            switch self {
            case .iAm, .iHave, .whoHas, .whoIs, .whoAmI, .youAre: .discovery
            case .timeSynchronization, .utcTimeSynchronization: .control
            case .unconfirmedCOVNotification, .unconfirmedEventNotification, .unconfirmedCOVNotificationMultiple,
                .unconfirmedAuditNotification:
                .read
            case .writeGroup: .write
            case .unconfirmedPrivateTransfer, .unconfirmedTextMessage: .other
            }
        }
    }

    /// ReinitializeDevice states (clause 16.4.1.1.1).
    public static func reinitializedStateName(_ state: UInt64) -> String? {
        switch state {
        case 0: "coldstart"
        case 1: "warmstart"
        case 2: "start_backup"
        case 3: "end_backup"
        case 4: "start_restore"
        case 5: "end_restore"
        case 6: "abort_restore"
        case 7: "activate_changes"
        default: nil
        }
    }

    /// DeviceCommunicationControl enable-disable values (clause 16.1.1.1.2).
    public static func enableDisableName(_ value: UInt64) -> String? {
        switch value {
        case 0: "enable"
        case 1: "disable"
        case 2: "disable_initiation"
        default: nil
        }
    }
}
