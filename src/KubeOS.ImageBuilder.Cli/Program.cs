// Entry point of kbimg. The component is built out by its own issue; until then it says so and exits non-zero.
Console.Error.WriteLine("kbimg: not built yet");
return 2;
