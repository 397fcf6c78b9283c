using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Acefone.PowerShell
{
    /// <summary>
    /// The row of one call typed at a prompt: an object with the row parameters the user gave, under the parameter names,
    /// so it is a TargetObject that exports to CSV and pipes back into the same cmdlet like any input row.
    /// </summary>
    internal static class PromptRow
    {
        // The parameters a row binds by property name, in declaration order, per cmdlet type.
        private static readonly ConcurrentDictionary<Type, string[]> RowParameters = new ConcurrentDictionary<Type, string[]>();

        internal static PSObject From(Cmdlet cmdlet, IDictionary<string, object?> bound)
        {
            var row = new PSObject();
            foreach (string name in RowParameters.GetOrAdd(cmdlet.GetType(), Find))
            {
                if (!bound.TryGetValue(name, out object? value)) continue;
                // A destination list goes into one cell the way a CSV holds it ("a,b"), which binds back as two.
                if (value is string[] list) value = string.Join(",", list);
                row.Properties.Add(new PSNoteProperty(name, value));
            }
            return row;
        }

        private static string[] Find(Type cmdletType) =>
            cmdletType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttributes<ParameterAttribute>(true).Any(a => a.ValueFromPipelineByPropertyName))
                .OrderBy(p => p.MetadataToken)
                .Select(p => p.Name)
                .ToArray();
    }
}
