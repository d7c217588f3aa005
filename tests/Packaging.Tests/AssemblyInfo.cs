using ChatPlatform.Testing;

// One fixture packs, installs and builds once; its stack runs on the shared servers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestFramework(SharedServersFramework.TypeName, SharedServersFramework.AssemblyName)]
