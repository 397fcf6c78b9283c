using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Acefone.Client.Tests
{
    /// <summary>
    /// The engine's folders form no loop (docs/architecture.md): no folder uses a type of a folder that uses one of its
    /// types back. Read from the source: each type belongs to the folder of the file that declares it (a partial type,
    /// AcefoneSession, to the folder of its file named after it; its parts in other folders use it); a file uses a type
    /// when the type's name appears in its code outside comments and strings, not as a member's name.
    /// </summary>
    public class FolderDependencyTests
    {
        /// <summary>Steps (from, to) a loop may take, each with its reason in docs/architecture.md. None.</summary>
        private static readonly (string, string)[] Exceptions = Array.Empty<(string, string)>();

        private static readonly Regex Declaration = new Regex(@"\b(?:class|struct|interface|enum|record)\s+([A-Z][A-Za-z0-9_]*)", RegexOptions.Compiled);
        private static readonly Regex Identifier = new Regex(@"(?<![.\w])([A-Z][A-Za-z0-9_]*)\b(?!\s*(?:=(?![=>])|\{\s*(?:get|set|init)\b))", RegexOptions.Compiled);

        internal static string Code(string text)
        {
            text = Regex.Replace(text, @"//[^\n]*", string.Empty);
            text = Regex.Replace(text, @"/\*.*?\*/", string.Empty, RegexOptions.Singleline);
            text = Regex.Replace(text, @"@?\$?""(?:[^""\\\n]|\\.)*""", "\"\"");
            // A member named like a type ("RetryAfter = RetryAfter,"): the value is the member, not the type.
            text = Regex.Replace(text, @"=\s*([A-Z][A-Za-z0-9_]*)\s*([,;])", "= _$2");
            return text;
        }

        /// <summary>Folder -> the folders it uses, each with one file and type that shows it.</summary>
        internal static Dictionary<string, Dictionary<string, string>> Graph(string root)
        {
            var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(f => f.Contains('/') && !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
                .ToList();
            string FolderOf(string file) => file.Substring(0, file.IndexOf('/'));
            var code = files.ToDictionary(f => f, f => Code(File.ReadAllText(Path.Combine(root, f))));

            var owner = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string file in files)
                foreach (Match m in Declaration.Matches(code[file]))
                {
                    string type = m.Groups[1].Value;
                    bool namedAfter = Path.GetFileNameWithoutExtension(file) == type;
                    if (!owner.ContainsKey(type) || namedAfter) owner[type] = FolderOf(file);
                }

            var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (string file in files)
            {
                string from = FolderOf(file);
                foreach (Match m in Identifier.Matches(code[file]))
                {
                    if (!owner.TryGetValue(m.Groups[1].Value, out string? to) || to == from) continue;
                    if (!graph.TryGetValue(from, out var uses)) graph[from] = uses = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (!uses.ContainsKey(to)) uses[to] = $"{file} uses {m.Groups[1].Value}";
                }
            }
            return graph;
        }

        /// <summary>A loop through the folders (A uses B ... uses A), as the files that show each step; null when none.</summary>
        internal static string? FindLoop(Dictionary<string, Dictionary<string, string>> graph)
        {
            var done = new HashSet<string>(StringComparer.Ordinal);
            var path = new List<string>();
            string? Visit(string folder)
            {
                int at = path.IndexOf(folder);
                if (at >= 0)
                {
                    var loop = path.Skip(at).Append(folder).ToList();
                    return string.Join("\n", loop.Zip(loop.Skip(1), (from, to) => $"{from} -> {to}: {graph[from][to]}"));
                }
                if (!done.Add(folder)) return null;
                path.Add(folder);
                if (graph.TryGetValue(folder, out var uses))
                    foreach (string next in uses.Keys.OrderBy(k => k, StringComparer.Ordinal))
                    {
                        if (Exceptions.Contains((folder, next))) continue;
                        string? found = Visit(next);
                        if (found != null) return found;
                    }
                path.RemoveAt(path.Count - 1);
                return null;
            }
            foreach (string folder in graph.Keys.OrderBy(k => k, StringComparer.Ordinal))
            {
                string? found = Visit(folder);
                if (found != null) return found;
            }
            return null;
        }

        [Fact]
        public void No_engine_folder_uses_a_folder_that_uses_it_back()
        {
            // Back directly or through others: the folders form layers (docs/architecture.md).
            string? loop = FindLoop(Graph(TestPaths.EngineSource));
            Assert.True(loop == null, "Folders that use each other:\n" + loop);
        }

        [Fact]
        public void The_errors_folder_is_the_base_and_uses_no_other()
        {
            var graph = Graph(TestPaths.EngineSource);
            Assert.True(!graph.ContainsKey("Errors"), "Errors uses " + (graph.TryGetValue("Errors", out var uses) ? string.Join(", ", uses.Values) : ""));
        }

        [Fact]
        public void The_scan_sees_a_loop_where_there_is_one()
        {
            // The test must be able to fail: two folders made to use each other are found.
            string root = Path.Combine(Path.GetTempPath(), "acefone-folders-" + Guid.NewGuid().ToString("n"));
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "A"));
                Directory.CreateDirectory(Path.Combine(root, "B"));
                Directory.CreateDirectory(Path.Combine(root, "C"));
                File.WriteAllText(Path.Combine(root, "A", "Alpha.cs"), "namespace N { internal sealed class Alpha { internal Beta? B { get; set; } } }");
                File.WriteAllText(Path.Combine(root, "B", "Beta.cs"), "namespace N { internal sealed class Beta { internal object Make() => new Alpha(); /* Gamma */ internal string S = \"Gamma\"; } }");
                File.WriteAllText(Path.Combine(root, "C", "Gamma.cs"), "namespace N { internal sealed class Gamma { internal int RetryAfter { get; set; } } }");
                File.WriteAllText(Path.Combine(root, "A", "RetryAfter.cs"), "namespace N { internal static class RetryAfter { } }");
                var graph = Graph(root);
                Assert.Equal("A/Alpha.cs uses Beta", graph["A"]["B"]);
                Assert.Equal("B/Beta.cs uses Alpha", graph["B"]["A"]);
                // Names in comments and strings, and a member named like a type, are no use of the type.
                Assert.Single(graph["B"]);
                Assert.False(graph.ContainsKey("C"));
                Assert.Equal("A -> B: A/Alpha.cs uses Beta\nB -> A: B/Beta.cs uses Alpha", FindLoop(graph));
                graph["B"].Remove("A");
                Assert.Null(FindLoop(graph));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
