// Entry point of os-operator. The component is built out by its own issue; until then it says so and exits non-zero.
Console.Error.WriteLine("os-operator: not built yet");
return 2;
