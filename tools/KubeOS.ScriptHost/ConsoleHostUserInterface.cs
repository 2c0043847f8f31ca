using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace KubeOS.ScriptHost;

/// <summary>
/// Writes what the engine renders to stdout/stderr, answers prompts from stdin and shows progress as one plain line
/// per update on stderr (so logs stay readable). Text goes through GetOutputString, which drops ANSI escapes when
/// the output is redirected.
/// </summary>
public sealed class ConsoleHostUserInterface(TextReader input, TextWriter output, TextWriter error, bool supportsVirtualTerminal)
    : PSHostUserInterface
{
    private readonly ConsoleHostRawUserInterface _raw = new(supportsVirtualTerminal);
    private readonly HashSet<(long SourceId, int ActivityId)> _activeProgress = [];

    public override PSHostRawUserInterface RawUI => _raw;
    public override bool SupportsVirtualTerminal => supportsVirtualTerminal;

    public override void Write(string value) => output.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => output.Write(Plain(value));
    public override void WriteLine(string value) => output.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => error.WriteLine(Plain(value));
    public override void WriteWarningLine(string message) => error.WriteLine("WARNING: " + Plain(message));
    public override void WriteVerboseLine(string message) => error.WriteLine("VERBOSE: " + Plain(message));
    public override void WriteDebugLine(string message) => error.WriteLine("DEBUG: " + Plain(message));
    public override void WriteInformation(InformationRecord record) => output.WriteLine(Plain(record.MessageData?.ToString() ?? ""));

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        var activity = (sourceId, record.ActivityId);
        if (record.RecordType == ProgressRecordType.Completed)
        {
            // Commands may close an activity they never reported (Get-Help does); say "completed" only for shown ones.
            if (_activeProgress.Remove(activity))
            {
                error.WriteLine(Plain($"{record.Activity}: completed"));
            }
            return;
        }
        _activeProgress.Add(activity);
        var line = $"{record.Activity}: {record.StatusDescription}"
              + (record.PercentComplete >= 0 ? $" {record.PercentComplete}%" : "")
              + (string.IsNullOrEmpty(record.CurrentOperation) ? "" : $" ({record.CurrentOperation})");
        error.WriteLine(Plain(line));
    }

    public override string ReadLine() =>
        input.ReadLine() ?? throw new PSInvalidOperationException("A prompt needs an answer but standard input has ended.");

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (var c in ReadLine())
        {
            secure.AppendChar(c);
        }
        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        WritePromptHeader(caption, message);
        var answers = new Dictionary<string, PSObject>();
        foreach (var field in descriptions)
        {
            output.Write($"{field.Name}: ");
            answers[field.Name] = PSObject.AsPSObject(ReadLine());
        }
        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        WritePromptHeader(caption, message);
        var labels = choices.Select(Hotkey).ToList();
        while (true)
        {
            output.Write(string.Join(" ", choices.Select((c, i) => $"[{labels[i]}] {c.Label.Replace("&", "")}")));
            output.Write(defaultChoice >= 0 ? $" (default is \"{labels[defaultChoice]}\"): " : ": ");
            var answer = ReadLine().Trim();
            if (answer.Length == 0 && defaultChoice >= 0)
            {
                return defaultChoice;
            }
            var index = labels.FindIndex(l => l.Equals(answer, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                index = choices.ToList().FindIndex(c => c.Label.Replace("&", "").Equals(answer, StringComparison.OrdinalIgnoreCase));
            }
            if (index >= 0)
            {
                return index;
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new NotSupportedException("kubeos-pwsh does not prompt for credentials; pass a PSCredential or use key-based access.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        PromptForCredential(caption, message, userName, targetName);

    private void WritePromptHeader(string caption, string message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            output.WriteLine(Plain(caption));
        }
        if (!string.IsNullOrEmpty(message))
        {
            output.WriteLine(Plain(message));
        }
    }

    /// <summary>The letter after '&amp;' in a choice label ("&amp;Yes" → "Y"), or the label itself.</summary>
    private static string Hotkey(ChoiceDescription choice)
    {
        var amp = choice.Label.IndexOf('&');
        return amp >= 0 && amp + 1 < choice.Label.Length ? choice.Label[amp + 1].ToString().ToUpperInvariant() : choice.Label;
    }

    private string Plain(string text) => GetOutputString(text, supportsVirtualTerminal);
}
