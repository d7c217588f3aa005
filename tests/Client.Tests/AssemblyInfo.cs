using ChatPlatform.Testing;

// The stack is a whole cluster of processes, and some tests stop parts of it: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestFramework(SharedServersFramework.TypeName, SharedServersFramework.AssemblyName)]
