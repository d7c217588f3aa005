using ChatPlatform.Testing;

// The stacks are whole clusters of processes; on a small machine they run one at a time. That
// also lets them take turns on the shared servers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestFramework(SharedServersFramework.TypeName, SharedServersFramework.AssemblyName)]
