using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;
using Requester = Acefone.PowerShell.ModuleInitializer.Requester;

namespace Acefone.PowerShell.Tests
{
    /// <summary>
    /// Issue 24 item 9: on Windows PowerShell 5.1 (.NET Framework's strict binder) every reference in the shipped
    /// graph must be answerable by the resolver, whoever asks, and nothing else. Read from the built module's DLLs,
    /// so a package update that adds a version mismatch fails here until it is listed (ShippedGraph) and explained.
    /// </summary>
    public class ShippedGraphTests
    {
        /// <summary>A reference one shipped DLL makes to another: who refers, and the full name it asks for.</summary>
        public sealed record Reference(string From, AssemblyName Requested, AssemblyName Shipped)
        {
            public override string ToString() => $"{From} -> {Requested.Name} {Requested.Version} (shipped {Shipped.Version})";
        }

        private static IEnumerable<string> ShippedDlls()
        {
            string module = ModulePaths.Module;
            return Directory.GetFiles(module, "*.dll").Concat(Directory.GetFiles(Path.Combine(module, "dependencies"), "*.dll"));
        }

        /// <summary>Every reference from a shipped DLL to a shipped DLL, read with System.Reflection.Metadata (nothing is loaded).</summary>
        internal static IReadOnlyList<Reference> GraphReferences()
        {
            var shipped = ShippedDlls().Select(AssemblyName.GetAssemblyName).ToDictionary(n => n.Name!, StringComparer.OrdinalIgnoreCase);
            var references = new List<Reference>();
            foreach (string dll in ShippedDlls())
            {
                using var stream = File.OpenRead(dll);
                using var pe = new PEReader(stream);
                MetadataReader metadata = pe.GetMetadataReader();
                foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
                {
                    AssemblyName requested = metadata.GetAssemblyReference(handle).GetAssemblyName();
                    if (shipped.TryGetValue(requested.Name!, out AssemblyName? target))
                        references.Add(new Reference(Path.GetFileName(dll), requested, target));
                }
            }
            return references;
        }

        public static IEnumerable<object[]> Mismatches() =>
            GraphReferences().Where(r => r.Requested.Version != r.Shipped.Version).Select(r => new object[] { r.ToString() });

        private static Reference Find(string described) => GraphReferences().First(r => r.ToString() == described);

        [Fact]
        public void The_graphs_version_mismatches_are_exactly_the_listed_ones()
        {
            var found = GraphReferences().Where(r => r.Requested.Version != r.Shipped.Version)
                .Select(r => $"{r.Requested.Name} {r.Requested.Version}").Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
            var listed = ShippedGraph.Mismatches.Select(m => $"{m.Name} {m.Referenced}").OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(listed, found);
            // What issue 24 found, so the list is never silently empty.
            Assert.Contains("System.Runtime.CompilerServices.Unsafe 4.0.4.1", found);
            Assert.Contains("System.Buffers 4.0.2.0", found);
        }

        [Theory]
        [MemberData(nameof(Mismatches))]
        public void Each_mismatch_is_answered_with_or_without_a_requester_but_never_to_another_module(string described)
        {
            Reference reference = Find(described);
            Assert.True(ModuleInitializer.ShouldAnswer(reference.Requested, reference.Shipped, Requester.Unknown, isNetFramework: true));
            Assert.True(ModuleInitializer.ShouldAnswer(reference.Requested, reference.Shipped, Requester.Ours, isNetFramework: true));
            Assert.True(ModuleInitializer.ShouldAnswer(reference.Requested, reference.Shipped, Requester.Ours, isNetFramework: false));
            Assert.False(ModuleInitializer.ShouldAnswer(reference.Requested, reference.Shipped, Requester.Other, isNetFramework: true));
            // .NET names every requester; an unnamed one there is not ours to guess.
            Assert.False(ModuleInitializer.ShouldAnswer(reference.Requested, reference.Shipped, Requester.Unknown, isNetFramework: false));
        }

        [Fact]
        public void Every_reference_in_the_shipped_graph_is_answered_without_a_requester_on_NET_Framework()
        {
            IReadOnlyList<Reference> references = GraphReferences();
            Assert.NotEmpty(references);
            foreach (Reference reference in references)
                Assert.True(ModuleInitializer.ShouldAnswer(reference.Requested, reference.Shipped, Requester.Unknown, isNetFramework: true), reference.ToString());
        }

        [Theory]
        [InlineData("System.Runtime.CompilerServices.Unsafe, Version=5.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
        [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a")]
        [InlineData("System.Buffers, Version=4.0.1.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=0123456789abcdef")]
        [InlineData("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")]
        [InlineData("System.Buffers")]
        public void Another_modules_exact_request_for_a_version_outside_the_graph_is_left_to_it(string request)
        {
            var requested = new AssemblyName(request);
            AssemblyName shipped = GraphReferences().First(r => string.Equals(r.Shipped.Name, requested.Name, StringComparison.OrdinalIgnoreCase)).Shipped;
            Assert.False(ModuleInitializer.ShouldAnswer(requested, shipped, Requester.Unknown, isNetFramework: true));
            Assert.False(ModuleInitializer.ShouldAnswer(requested, null, Requester.Unknown, isNetFramework: true));
        }

        [Fact]
        public void A_listed_mismatch_is_known_by_name_in_any_case_and_exact_version()
        {
            Assert.True(ShippedGraph.References("system.buffers", new Version(4, 0, 2, 0)));
            Assert.False(ShippedGraph.References("System.Buffers", new Version(4, 0, 3, 0)));
            Assert.False(ShippedGraph.References("System.Memory", new Version(4, 0, 2, 0)));
            Assert.False(ShippedGraph.References(null, new Version(4, 0, 2, 0)));
            Assert.False(ShippedGraph.References("System.Buffers", null));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("cc7b13ffcd2ddd51")]
        [InlineData("cc7b13ffcd2ddd")]
        public void A_request_naming_a_key_token_is_not_answered_by_a_DLL_without_that_token(string? shippedToken)
        {
            // Mutation testing found the unsigned and shorter-token cases unchecked (a reversed test read past the end).
            var requested = new AssemblyName("System.Buffers, Version=4.0.3.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a");
            var shipped = new AssemblyName("System.Buffers, Version=4.0.3.0, Culture=neutral");
            if (shippedToken != null) shipped.SetPublicKeyToken(Convert.FromHexString(shippedToken));
            Assert.False(ModuleInitializer.MatchesShipped(requested, shipped));
            shipped.SetPublicKeyToken(Convert.FromHexString("b03f5f7f11d50a3a"));
            Assert.True(ModuleInitializer.MatchesShipped(requested, shipped));
        }
    }
}
