// QEMU, loop devices and the image builder's Linux tools.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
