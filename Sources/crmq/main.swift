import ArgumentParser
import CRMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let command: CRMQCommand
do {
    command = try CRMQCommand.parse(arguments)
} catch {
    let code = CRMQCommand.exitCode(for: error)
    let message = CRMQCommand.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    StandardStreams.write(message + "\n", to: STDERR_FILENO)
    exit(2)  // bad usage, as §7 defines
}

let streams = StandardStreams()
let session = Session()
let inputs = command.inputs(arguments)
let scripted = !inputs.isEmpty || !Terminal.stdinIsTerminal
let runner = StatementRunner(
    session: session, sink: streams, mode: command.format,
    layout: TableLayout(maxRows: scripted || !Terminal.stdoutIsTerminal ? 0 : 40, width: Terminal.width, color: Terminal.color),
    stopOnError: scripted)

if let directory = command.snapshot {
    do {
        let snapshot = try session.load(directory: directory, asOf: command.asOf.flatMap { CalendarDay.parse($0) })
        if !scripted { streams.output(InteractiveShell.banner(snapshot)) }
    } catch {
        streams.errors("error: cannot load the snapshot: \(error)\n")
        if scripted { exit(1) }
    }
}

if scripted {
    var outcome = StatementRunner.Outcome.completed
    if inputs.isEmpty {
        var text = ""
        while let line = readLine(strippingNewline: false) { text += line }
        outcome = runner.run(text, fileName: "<stdin>")
    } else {
        for input in inputs {
            switch input {
            case .statement(let text): outcome = runner.run(text)
            case .file(let path):
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    streams.errors("error: cannot read script \(path): no such file, or not UTF-8 text\n")
                    exit(1)
                }
                outcome = runner.run(text, fileName: path)
            }
            streams.exitIfOutputFailed()
            if outcome != .completed { break }
        }
    }
    streams.exitIfOutputFailed()
    exit(outcome == .failed ? 1 : 0)
}

InteractiveShell(runner: runner, streams: streams, runInitFile: !command.noInit).run()
