// Entry point of os-agent. The component is built out by its own issue; until then it says so and exits non-zero.
Console.Error.WriteLine("os-agent: not built yet");
return 2;
