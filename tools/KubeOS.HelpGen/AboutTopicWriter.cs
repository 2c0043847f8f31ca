using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KubeOS.HelpGen;

/// <summary>
/// Turns an about topic in PlatyPS about-format markdown ("# about_X", "## about_x", "# SHORT DESCRIPTION", ...) into
/// the plain-text about_X.help.txt that Get-Help prints: headings flush left in capitals, text indented four spaces
/// and wrapped at 80 columns, code indented eight.
/// </summary>
public static class AboutTopicWriter
{
    private const int Width = 80;

    public static string Convert(string markdown)
    {
        var text = new StringBuilder();
        var topicWritten = false;
        foreach (var block in Markdown.Parse(markdown))
        {
            switch (block)
            {
                case HeadingBlock heading when !topicWritten:
                    text.AppendLine("TOPIC").AppendLine("    " + HeadingText(heading).ToLowerInvariant()).AppendLine();
                    topicWritten = true;
                    break;
                case HeadingBlock { Level: 2 } heading when HeadingText(heading).StartsWith("about_", StringComparison.OrdinalIgnoreCase):
                    break; // PlatyPS repeats the topic name as a sub-heading; the TOPIC line already carries it.
                case HeadingBlock { Level: 1 } heading:
                    text.AppendLine(HeadingText(heading).ToUpperInvariant());
                    break;
                case HeadingBlock heading:
                    text.AppendLine("  " + HeadingText(heading)).AppendLine();
                    break;
                case FencedCodeBlock code:
                    foreach (var line in code.Lines.ToString().TrimEnd().Split('\n'))
                    {
                        text.AppendLine(("        " + line).TrimEnd());
                    }
                    text.AppendLine();
                    break;
                case ListBlock list:
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        Wrap(text, "    - ", "      ", Source(markdown, item).TrimStart('-', '*', ' '));
                    }
                    text.AppendLine();
                    break;
                default:
                    Wrap(text, "    ", "    ", Source(markdown, block));
                    text.AppendLine();
                    break;
            }
        }
        return text.ToString().TrimEnd() + Environment.NewLine;
    }

    private static string Source(string markdown, Block block) =>
        markdown.Substring(block.Span.Start, block.Span.Length).Trim();

    private static string HeadingText(HeadingBlock heading) =>
        heading.Inline is null ? "" : string.Concat(heading.Inline.Descendants<LiteralInline>().Select(l => l.Content.ToString())).Trim();

    private static void Wrap(StringBuilder text, string firstIndent, string indent, string paragraph)
    {
        var line = new StringBuilder(firstIndent);
        var lineHasWord = false;
        foreach (var word in paragraph.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineHasWord && line.Length + 1 + word.Length > Width)
            {
                text.AppendLine(line.ToString());
                line.Clear().Append(indent);
                lineHasWord = false;
            }
            if (lineHasWord)
            {
                line.Append(' ');
            }
            line.Append(word);
            lineHasWord = true;
        }
        if (lineHasWord)
        {
            text.AppendLine(line.ToString());
        }
    }
}
