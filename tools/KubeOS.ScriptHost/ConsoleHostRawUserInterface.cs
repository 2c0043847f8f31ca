using System.Management.Automation.Host;

namespace KubeOS.ScriptHost;

/// <summary>
/// The little of a console's geometry the formatter needs: table width comes from BufferSize. When output is
/// redirected there is no window, so a wide fixed width keeps table columns from being cut short in logs.
/// </summary>
public sealed class ConsoleHostRawUserInterface(bool interactive) : PSHostRawUserInterface
{
    private const int RedirectedWidth = 160;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Coordinates CursorPosition { get; set; }
    public override Coordinates WindowPosition { get; set; }
    public override int CursorSize { get; set; } = 25;
    public override string WindowTitle { get; set; } = "kubeos-pwsh";

    public override Size BufferSize
    {
        get => new(Width, 9999);
        set { }
    }

    public override Size WindowSize
    {
        get => new(Width, 50);
        set { }
    }

    public override Size MaxWindowSize => WindowSize;
    public override Size MaxPhysicalWindowSize => WindowSize;
    public override bool KeyAvailable => false;

    private int Width => interactive && !Console.IsOutputRedirected && Console.WindowWidth > 0 ? Console.WindowWidth : RedirectedWidth;

    public override void FlushInputBuffer()
    {
    }

    public override KeyInfo ReadKey(ReadKeyOptions options) =>
        throw new NotSupportedException("kubeos-pwsh reads whole lines from standard input, not single keys.");

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("kubeos-pwsh writes a text stream and keeps no screen buffer.");

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
        throw new NotSupportedException("kubeos-pwsh writes a text stream and keeps no screen buffer.");

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) =>
        throw new NotSupportedException("kubeos-pwsh writes a text stream and keeps no screen buffer.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
        throw new NotSupportedException("kubeos-pwsh writes a text stream and keeps no screen buffer.");
}
