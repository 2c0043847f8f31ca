using System.Reflection;

namespace KubeOS.ImageBuilder;

/// <summary>The unit files and templates shipped in the library (source: module/deploy/image).</summary>
internal static class ImageFiles
{
    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("image/" + name)
            ?? throw new InvalidOperationException($"embedded file image/{name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static readonly string[] MountUnits = ["persist.mount", "etc.mount", "var.mount", "opt-cni.mount", "boot-efi.mount", "tmp.mount"];
}
