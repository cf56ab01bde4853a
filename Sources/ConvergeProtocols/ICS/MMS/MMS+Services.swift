import ConvergeModel

extension MMS {
    /// Confirmed service names by tag (ISO 9506-2 ConfirmedServiceRequest), in snake_case.
    static let confirmedServiceNames: [String] = [
        "status", "get_name_list", "identify", "rename", "read", "write", "get_variable_access_attributes",
        "define_named_variable", "define_scattered_access", "get_scattered_access_attributes",
        "delete_variable_access", "define_named_variable_list", "get_named_variable_list_attributes",
        "delete_named_variable_list", "define_named_type", "get_named_type_attributes", "delete_named_type",
        "input", "output", "take_control", "relinquish_control", "define_semaphore", "delete_semaphore",
        "report_semaphore_status", "report_pool_semaphore_status", "report_semaphore_entry_status",
        "initiate_download_sequence", "download_segment", "terminate_download_sequence",
        "initiate_upload_sequence", "upload_segment", "terminate_upload_sequence", "request_domain_download",
        "request_domain_upload", "load_domain_content", "store_domain_content", "delete_domain",
        "get_domain_attributes", "create_program_invocation", "delete_program_invocation", "start", "stop",
        "resume", "reset", "kill", "get_program_invocation_attributes", "obtain_file", "define_event_condition",
        "delete_event_condition", "get_event_condition_attributes", "report_event_condition_status",
        "alter_event_condition_monitoring", "trigger_event", "define_event_action", "delete_event_action",
        "get_event_action_attributes", "report_event_action_status", "define_event_enrollment",
        "delete_event_enrollment", "alter_event_enrollment", "report_event_enrollment_status",
        "get_event_enrollment_attributes", "acknowledge_event_notification", "get_alarm_summary",
        "get_alarm_enrollment_summary", "read_journal", "write_journal", "initialize_journal",
        "report_journal_status", "create_journal", "delete_journal", "get_capability_list", "file_open",
        "file_read", "file_close", "file_rename", "file_delete", "file_directory",
    ]

    /// What each confirmed service does to the server, by tag. Attribute and name-list reads are
    /// discovery; defining or deleting variables, lists, types and events changes configuration
    /// (write); program invocation start/stop/resume/reset/kill and semaphores are control;
    /// domain download/upload, program invocation create/delete and obtainFile (a server told to
    /// fetch a file, how domain images are loaded) are program.
    static let confirmedServiceOperations: [Operation] = [
        .diagnostic, .discovery, .discovery, .write, .read, .write, .discovery,  // 0–6
        .write, .write, .discovery, .write, .write, .discovery, .write,  // 7–13
        .write, .discovery, .write, .read, .write, .control, .control,  // 14–20
        .write, .write, .diagnostic, .diagnostic, .diagnostic,  // 21–25
        .program, .program, .program, .program, .program, .program,  // 26–31
        .program, .program, .program, .program, .program, .discovery,  // 32–37
        .program, .program, .control, .control, .control, .control, .control, .discovery, .program,  // 38–46
        .write, .write, .discovery, .diagnostic, .write, .control,  // 47–52
        .write, .write, .discovery, .diagnostic, .write, .write, .write, .diagnostic, .discovery, .write,  // 53–62
        .read, .read, .read, .write, .write, .diagnostic, .write, .write, .discovery,  // 63–71
        .read, .read, .other, .write, .write, .read,  // 72–77
    ]

    static let unconfirmedServiceNames = ["information_report", "unsolicited_status", "event_notification"]

    static let pduNames = [
        "confirmed_request", "confirmed_response", "confirmed_error", "unconfirmed", "reject", "cancel_request",
        "cancel_response", "cancel_error", "initiate_request", "initiate_response", "initiate_error",
        "conclude_request", "conclude_response", "conclude_error",
    ]

    static let acseNames = ["aarq", "aare", "release_request", "release_response", "abort"]

    /// ServiceError classes ([0] … [12]).
    static let errorClassNames = [
        "vmd_state", "application_reference", "definition", "resource", "service", "service_preempt",
        "time_resolution", "access", "initiate", "conclude", "cancel", "file", "others",
    ]

    /// Reject reasons: the kind of PDU rejected ([1] … [11]).
    static let rejectNames = [
        "", "confirmed_request", "confirmed_response", "confirmed_error", "unconfirmed", "pdu_error",
        "cancel_request", "cancel_response", "cancel_error", "conclude_request", "conclude_response",
        "conclude_error",
    ]

    static func name(_ list: [String], _ index: UInt32) -> String? {
        index < UInt32(list.count) ? list[Int(index)] : nil
    }

    /// The snake_case function name of a frame.
    public static func functionName(_ frame: Frame) -> String {
        switch frame.kind {
        case .mms:
            if frame.pduType == PDUType.unconfirmed {
                return name(unconfirmedServiceNames, frame.service) ?? "unconfirmed_\(frame.service)"
            }
            if frame.hasService {
                return name(confirmedServiceNames, frame.service) ?? "service_\(frame.service)"
            }
            return name(pduNames, UInt32(frame.pduType)) ?? "unknown"
        case .acse: return name(acseNames, UInt32(frame.acseTag)) ?? "acse_unknown"
        case .session: return SPDU.name(frame.spdu)
        case .overflow: return "overflow"
        case .foreign: return "not_mms"
        }
    }

    /// What a frame does: a confirmed service by its table (an error by its request's service),
    /// association set-up and release are session.
    public static func operation(_ frame: Frame) -> Operation {
        switch frame.kind {
        case .mms:
            switch frame.pduType {
            case PDUType.confirmedRequest, PDUType.confirmedResponse, PDUType.confirmedError:
                let service = frame.hasService ? frame.service : frame.request?.service
                guard let service, service < UInt32(confirmedServiceOperations.count) else { return .other }
                if !frame.hasService, frame.request == nil { return .other }
                return confirmedServiceOperations[Int(service)]
            case PDUType.unconfirmed:
                return frame.service == 0 ? .read : frame.service == 1 ? .diagnostic : .other
            case PDUType.reject: return .other
            default: return .session
            }
        case .acse, .session: return .session
        case .overflow, .foreign: return .other
        }
    }
}
