// Entry point of os-proxy. The component is built out by its own issue; until then it says so and exits non-zero.
Console.Error.WriteLine("os-proxy: not built yet");
return 2;
