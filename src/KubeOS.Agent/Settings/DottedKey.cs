namespace KubeOS.Agent.Settings;

/// <summary>Splits a dotted key path; a segment containing dots is quoted: plugins."io.containerd.grpc.v1.cri".sandbox_image.</summary>
public static class DottedKey
{
    public static IReadOnlyList<string> Split(string model, string key)
    {
        var segments = new List<string>();
        var i = 0;
        while (i <= key.Length)
        {
            string segment;
            if (i < key.Length && key[i] is '"' or '\'')
            {
                var quote = key[i];
                var close = key.IndexOf(quote, i + 1);
                if (close < 0)
                    throw new SettingsException($"{model}: key '{key}' has an unclosed {quote} quote");
                segment = key[(i + 1)..close];
                i = close + 1;
                if (i < key.Length && key[i] != '.')
                    throw new SettingsException($"{model}: key '{key}' needs a '.' after the quoted segment \"{segment}\"");
            }
            else
            {
                var dot = key.IndexOf('.', i);
                var end = dot < 0 ? key.Length : dot;
                segment = key[i..end].Trim();
                i = end;
            }
            if (segment.Length == 0)
                throw new SettingsException($"{model}: key '{key}' has an empty segment; write it as a.b.c with quotes around segments that contain dots");
            segments.Add(segment);
            if (i >= key.Length)
                break;
            i++; // the dot
            if (i == key.Length)
                throw new SettingsException($"{model}: key '{key}' ends with '.'");
        }
        return segments;
    }
}
