using KubeOS.Agent.Boot;
using KubeOS.Agent.Tests.Support;

namespace KubeOS.Agent.Tests.Boot;

/// <summary>The environment block as grub-editenv (the same code GRUB uses) reads and writes it.</summary>
public sealed class GrubEnvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeos-grubenv-").FullName;
    private string EnvPath => Path.Combine(_dir, "grubenv");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void BlockWritten_IsReadByGrubEditenv_AndStays1024Bytes()
    {
        GrubEnv.Write(EnvPath, new Dictionary<string, string> { ["saved_entry"] = "A", ["next_entry"] = "B" });

        Assert.Equal(GrubEnv.BlockSize, new FileInfo(EnvPath).Length);
        var listed = Shell.Run("grub-editenv", EnvPath, "list").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["next_entry=B", "saved_entry=A"], listed.Order());
    }

    [Fact]
    public void BlockFromGrubEditenv_IsParsed_AndUpdateKeepsOtherVariables()
    {
        Shell.Run("grub-editenv", EnvPath, "create");
        Shell.Run("grub-editenv", EnvPath, "set", "saved_entry=B", "boot_success=1");

        Assert.True(GrubEnv.Update(EnvPath, new Dictionary<string, string?> { ["next_entry"] = "A", ["boot_success"] = null }));
        Assert.False(GrubEnv.Update(EnvPath, new Dictionary<string, string?> { ["next_entry"] = "A" }));

        var listed = Shell.Run("grub-editenv", EnvPath, "list");
        Assert.Contains("saved_entry=B", listed);
        Assert.Contains("next_entry=A", listed);
        Assert.DoesNotContain("boot_success", listed);
    }

    [Fact]
    public void TooManyVariables_AreRefused_WithoutTouchingTheFile()
    {
        Shell.Run("grub-editenv", EnvPath, "create");
        var before = File.ReadAllBytes(EnvPath);

        var error = Assert.Throws<InvalidOperationException>(() =>
            GrubEnv.Update(EnvPath, new Dictionary<string, string?> { ["big"] = new string('x', 2000) }));

        Assert.Contains("1024-byte block", error.Message);
        Assert.Equal(before, File.ReadAllBytes(EnvPath));
    }

    [Fact]
    public void NotAnEnvironmentBlock_IsRejected()
    {
        File.WriteAllText(EnvPath, "saved_entry=A\n");
        Assert.Throws<InvalidDataException>(() => GrubEnv.Read(EnvPath));
    }
}
