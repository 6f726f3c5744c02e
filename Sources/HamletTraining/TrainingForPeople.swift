import Vapor
import HamletKit
import HamletWeb
import HamletWorkforce

extension TrainedCriteria: PersonCondition {}

extension PeopleTraining {
    /// Training's part of the register's pages and lists (`PeopleTraining`).
    package static let live = PeopleTraining(
        condition: { req, prefix in try TrainingParams.trained(req, prefix: prefix) },
        courseKinds: { selected in FormOption.list(CourseKind.self, selected: selected) },
        history: { req, person in
            try await TrainingAPI.historyItems(req, person).map { h in
                PeoplePages.TrainingRow(classId: h.classId?.uuidString ?? "", course: h.course, kind: English.say(h.kind) + (h.level.map { " — " + English.say($0) } ?? ""),
                                        dates: TrainingPages.period(h.startDate, h.endDate), result: English.say(h.resultLabel ?? h.status),
                                        certificate: h.certificateNumber ?? "", participationId: h.participationId?.uuidString ?? "")
            }
        })
}
