using ChatPlatform.Testing;

[assembly: TestFramework(SharedServersFramework.TypeName, SharedServersFramework.AssemblyName)]
