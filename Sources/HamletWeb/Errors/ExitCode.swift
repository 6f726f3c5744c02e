/// A command's end with a code of its own, said once by `HamletMain`.
package struct ExitCode: Error {
    package let code: Int32
    package init(_ code: Int32) { self.code = code }
}
