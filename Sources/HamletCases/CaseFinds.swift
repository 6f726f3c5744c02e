import Foundation
import Fluent
import HamletWeb

/// Records a case route names by id or number, found before anyone decides on them: each is
/// 404 when it does not exist or does not belong to the record it is asked under. Who may act on
/// them is decided after, by `CaseAccess` and the services.
extension CaseService {
    /// A goal or follow-up entry of this case.
    package func entry(_ id: UUID?, of c: CaseFile) async throws -> CaseEntry {
        guard let id, let e = try await CaseEntry.find(id, on: db), e.caseID == c.id else { throw HamletError.notFound }
        return e
    }

    /// A case by its number (letters in any case).
    package func file(numbered raw: String?) async throws -> CaseFile {
        guard let number = raw?.trimmedFast.uppercased(), !number.isEmpty,
              let c = try await CaseFile.query(on: db).filter(\.$number == number).first() else { throw HamletError.notFound }
        return c
    }

    /// A referral by id.
    package func referral(_ id: UUID?) async throws -> CaseReferral {
        guard let id, let r = try await CaseReferral.find(id, on: db) else { throw HamletError.notFound }
        return r
    }
}

extension ServedPeopleService {
    /// One of this person's consents.
    package func consent(_ id: UUID?, of p: ServedPerson) async throws -> Consent {
        guard let id, let c = try await Consent.find(id, on: db), c.personID == p.id else { throw HamletError.notFound }
        return c
    }
}
