using System.Runtime.CompilerServices;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>Makes every test server of this assembly three nodes of a cluster, before any test reads the setting.</summary>
internal static class ClusterNodes
{
    [ModuleInitializer]
    internal static void ThreeNodes() => Environment.SetEnvironmentVariable(TestCluster.NodesVariable, "3");
}
