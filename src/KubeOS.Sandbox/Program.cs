// Entry point of kubeos-sandbox. The component is built out by its own issue; until then it says so and exits non-zero.
Console.Error.WriteLine("kubeos-sandbox: not built yet");
return 2;
