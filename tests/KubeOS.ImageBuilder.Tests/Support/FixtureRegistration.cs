[assembly: AssemblyFixture(typeof(KubeOS.ImageBuilder.Tests.Support.ImageBuildFixture))]
