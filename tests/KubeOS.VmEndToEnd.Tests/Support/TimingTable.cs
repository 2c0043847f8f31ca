using System.Globalization;
using System.Text;
using KubeOS.PowerShell.Tests.Hosting;

namespace KubeOS.VmEndToEnd.Tests.Support;

/// <summary>The figures of one run, printed at the end and kept in out/ for the test script's summary.</summary>
public sealed class TimingTable
{
    private readonly List<(string Step, string Figure, double Seconds)> _rows = [];

    public void Add(string step, string figure, double seconds) => _rows.Add((step, figure, seconds));

    public string Render()
    {
        var text = new StringBuilder("VM end to end (QEMU TCG)\n");
        var width = Math.Max(10, _rows.Count == 0 ? 0 : _rows.Max(r => r.Step.Length));
        var figureWidth = Math.Max(10, _rows.Count == 0 ? 0 : _rows.Max(r => r.Figure.Length));
        text.AppendLine($"{"step".PadRight(width)}  {"measure".PadRight(figureWidth)}  seconds");
        foreach (var (step, figure, seconds) in _rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"{step.PadRight(width)}  {figure.PadRight(figureWidth)}  {seconds,7:0.0}");
        return text.ToString();
    }

    public void Save()
    {
        var path = Path.Combine(RepoPaths.Root, "out", "vm-end-to-end-timings.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Render());
    }
}
