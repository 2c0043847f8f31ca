// The image builder and these tests drive Linux tools.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
