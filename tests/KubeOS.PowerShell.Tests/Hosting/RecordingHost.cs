using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace KubeOS.PowerShell.Tests.Hosting;

/// <summary>
/// A PSHost whose UI records everything written to it (What if: lines, Out-Default tables, prompts) and answers
/// prompts from a queue. With no answer queued a prompt fails, as it would in a non-interactive pwsh.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface _ui = new();

    public override string Name => "KubeOS.Tests";
    public override Version Version { get; } = new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override PSHostUserInterface UI => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    /// <summary>Answers for PromptForChoice (choice index) and Prompt/ReadLine (text), consumed in order.</summary>
    public Queue<object> Answers => _ui.Answers;

    /// <summary>Captions and messages of the prompts shown, in order.</summary>
    public IReadOnlyList<string> Prompts => _ui.Prompts;

    public string TakeOutput() => _ui.TakeOutput();

    public int? ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    public override void EnterNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");
    public override void ExitNestedPrompt() => throw new NotSupportedException("The test host has no nested prompt.");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();
        private readonly RecordingRawUserInterface _raw = new();
        private readonly List<string> _prompts = [];

        public Queue<object> Answers { get; } = new();
        public IReadOnlyList<string> Prompts => _prompts;
        public override PSHostRawUserInterface RawUI => _raw;

        public string TakeOutput()
        {
            lock (_text)
            {
                var text = _text.ToString();
                _text.Clear();
                return text;
            }
        }

        // Every write goes through GetOutputString: the engine's table headers carry ANSI styling otherwise.
        private void Append(string text)
        {
            lock (_text)
            {
                _text.Append(GetOutputString(text, supportsVirtualTerminal: false));
            }
        }

        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + "\n");
        public override void WriteErrorLine(string value) => Append(value + "\n");
        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");
        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");
        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override string ReadLine() => Answers.TryDequeue(out var answer)
            ? answer.ToString()!
            : throw new PSInvalidOperationException("The test queued no answer for ReadLine.");

        public override SecureString ReadLineAsSecureString()
        {
            var secure = new SecureString();
            foreach (var c in ReadLine())
            {
                secure.AppendChar(c);
            }
            return secure;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            _prompts.Add($"{caption}\n{message}");
            return descriptions.ToDictionary(d => d.Name, _ => PSObject.AsPSObject(ReadLine()));
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            _prompts.Add($"{caption}\n{message}");
            return Answers.TryDequeue(out var answer)
                ? Convert.ToInt32(answer, CultureInfo.InvariantCulture)
                : throw new PSInvalidOperationException($"The test queued no answer for the prompt '{caption}'.");
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new PSInvalidOperationException("The module must never prompt for credentials.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            PromptForCredential(caption, message, userName, targetName);
    }

    private sealed class RecordingRawUserInterface : PSHostRawUserInterface
    {
        // Wide enough that the default table views are not truncated in assertions.
        public override Size BufferSize { get; set; } = new(200, 9999);
        public override Size WindowSize { get; set; } = new(200, 50);
        public override Size MaxWindowSize => WindowSize;
        public override Size MaxPhysicalWindowSize => WindowSize;
        public override ConsoleColor BackgroundColor { get; set; }
        public override ConsoleColor ForegroundColor { get; set; }
        public override Coordinates CursorPosition { get; set; }
        public override Coordinates WindowPosition { get; set; }
        public override int CursorSize { get; set; }
        public override string WindowTitle { get; set; } = "";
        public override bool KeyAvailable => false;
        public override void FlushInputBuffer() { }
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("No keyboard in tests.");
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("No screen buffer in tests.");
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException("No screen buffer in tests.");
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException("No screen buffer in tests.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
            throw new NotSupportedException("No screen buffer in tests.");
    }
}
