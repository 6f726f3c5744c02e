import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Fluent
import FluentSQLiteDriver
import SQLKit

/// SQLite with a connection and a thread of its own for write transactions. SQLite writes one
/// transaction at a time, so how many saves a second it takes is how short a transaction is.
/// On the server's event loops a transaction held the connection every read of its loop needed,
/// and each of its statements waited behind other requests' work to go on (about 0.8 ms a
/// statement under load). Reads keep their connections; `writeTransaction` runs on the writer's
/// own event loop and connection, where nothing else waits.
struct SQLiteWithWriter: DatabaseConfiguration {
    var reads: any DatabaseConfiguration
    let writes: any DatabaseConfiguration
    let writer: WriterDriver

    /// The writer's loop, its thread for SQLite's blocking calls and its driver, made with the
    /// readers' driver (a configuration never used starts no thread).
    final class WriterDriver: @unchecked Sendable {
        struct Made {
            let loop: MultiThreadedEventLoopGroup
            let blocking: NIOThreadPool
            let executor: LoopExecutor
            let driver: any DatabaseDriver
        }
        private let lock = NIOLock()
        private var made: Made?

        var current: Made? { lock.withLock { made } }

        func make(_ configuration: any DatabaseConfiguration) {
            let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1), blocking = NIOThreadPool(numberOfThreads: 1)
            blocking.start()
            let driver = configuration.makeDriver(for: Databases(threadPool: blocking, on: loop))
            lock.withLock { made = Made(loop: loop, blocking: blocking, executor: LoopExecutor(loop.next()), driver: driver) }
        }

        func shutdown() async {
            guard let made = lock.withLock({ () -> Made? in defer { made = nil }; return made }) else { return }
            await made.driver.shutdownAsync()
            try? await made.blocking.shutdownGracefully()
            try? await made.loop.shutdownGracefully()
        }
    }

    init(_ factory: DatabaseConfigurationFactory) {
        (reads, writes, writer) = (factory.make(), factory.make(), WriterDriver())
    }

    var middleware: [any AnyModelMiddleware] {
        get { reads.middleware }
        set { reads.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        writer.make(writes)
        return Both(reads: reads.makeDriver(for: databases), writer: writer)
    }

    struct Both: DatabaseDriver {
        let reads: any DatabaseDriver
        let writer: WriterDriver
        func makeDatabase(with context: DatabaseContext) -> any Database { reads.makeDatabase(with: context) }
        /// Without waiting for the writer's loop and thread: this may run on an event loop (tasks
        /// run on them), where a blocking shutdown of another loop group traps.
        func shutdown() {
            reads.shutdown()
            let writer = writer
            Task { await writer.shutdown() }
        }
        func shutdownAsync() async {
            await reads.shutdownAsync()
            await writer.shutdown()
        }
    }
}

/// Swift's tasks run on one event loop: a write transaction's code goes on between its
/// statements on the loop its connection answers on, with no hop to another thread.
package final class LoopExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop
    init(_ loop: any EventLoop) { self.loop = loop }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension Database {
    /// The same SQLite file through the writer's connection, as the transaction `writeTransaction`
    /// begins on it, and the executor its code runs on; nil when the database is not one
    /// `SQLiteWithWriter` set up.
    package var sqliteWriter: (db: any Database & SQLDatabase, executor: LoopExecutor)? {
        guard let setup = context.configuration as? SQLiteWithWriter, let writer = setup.writer.current else { return nil }
        let own = DatabaseContext(configuration: context.configuration, logger: context.logger, eventLoop: writer.executor.loop,
                                  history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
        guard let base = writer.driver.makeDatabase(with: own) as? any Database & SQLDatabase & SQLiteDatabase else { return nil }
        return (InWriteTransaction(base: base), writer.executor)
    }
}

/// The writer's connection inside the transaction `writeTransaction` began on it with
/// `BEGIN IMMEDIATE` (Fluent's own transaction begins with a plain BEGIN, in a task of its own
/// that leaves the writer's loop). Everything goes to the connection as it is; a transaction
/// asked for inside it is this one.
struct InWriteTransaction: Database, SQLDatabase, SQLiteDatabase {
    let base: any Database & SQLDatabase & SQLiteDatabase

    var context: DatabaseContext { base.context }
    var inTransaction: Bool { true }
    var logger: Logger { (base as any SQLDatabase).logger }
    var eventLoop: any EventLoop { (base as any SQLDatabase).eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        base.execute(query: query, onOutput: onOutput)
    }
    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) async throws {
        try await base.execute(query: query, onOutput: onOutput)
    }
    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }
    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }
    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T { try await closure(self) }
    func withConnection<T: Sendable>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> { closure(self) }
    func withConnection<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T { try await closure(self) }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> { base.execute(sql: query, onRow) }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws { try await base.execute(sql: query, onRow) }

    func query(_ query: String, _ binds: [SQLiteData], logger: Logger, _ onRow: @escaping @Sendable (SQLiteRow) -> Void) -> EventLoopFuture<Void> {
        base.query(query, binds, logger: logger, onRow)
    }
    func withConnection<T>(_ closure: @escaping @Sendable (SQLiteConnection) -> EventLoopFuture<T>) -> EventLoopFuture<T> { base.withConnection(closure) }
}
