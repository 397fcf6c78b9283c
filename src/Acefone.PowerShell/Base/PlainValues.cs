using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using Acefone.Client;

namespace Acefone.PowerShell
{
    /// <summary>Between PowerShell objects and the engine's plain JSON values (<see cref="JsonTree"/>).</summary>
    internal static class PlainValues
    {
        private const int MaxObjectDepth = 3;

        private static bool IsScalar(object value) =>
            value.GetType().IsPrimitive || value is decimal || value is DateTime || value is DateTimeOffset || value is Enum ||
            value is Guid || value is TimeSpan || value is Uri || value is System.Numerics.BigInteger;

        /// <summary>JSON objects become PSCustomObjects (properties in the API's order), arrays object[], the rest stays.</summary>
        internal static object? ToPowerShell(object? value)
        {
            switch (value)
            {
                case JsonObjectValue obj:
                    var result = new PSObject();
                    foreach (KeyValuePair<string, object?> property in obj)
                    {
                        // A name sent twice keeps its last value, as ConvertFrom-Json does.
                        if (result.Properties[property.Key] != null) result.Properties.Remove(property.Key);
                        result.Properties.Add(new PSNoteProperty(property.Key, ToPowerShell(property.Value)));
                    }
                    return result;
                case object?[] array:
                    var items = new object?[array.Length];
                    for (int i = 0; i < array.Length; i++) items[i] = ToPowerShell(array[i]);
                    return items;
                default:
                    return value;
            }
        }

        /// <summary>A -Body or -Query value as plain values: hashtables and PSCustomObjects become dictionaries, PSObject wrappers are removed.</summary>
        internal static object? FromPowerShell(object? value, int depth = 0)
        {
            if (depth > JsonTree.MaxDepth) return value?.ToString();
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    var properties = new OrderedDictionary();
                    foreach (PSPropertyInfo property in wrapped.Properties)
                        properties[property.Name] = FromPowerShell(property.Value, depth + 1);
                    return properties;
                }
                value = wrapped.BaseObject;
            }
            switch (value)
            {
                case null:
                case string _:
                    return value;
                case IDictionary dictionary:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry entry in dictionary)
                        copy[entry.Key is PSObject key ? key.BaseObject : entry.Key] = FromPowerShell(entry.Value, depth + 1);
                    return copy;
                case IEnumerable sequence:
                    var list = new List<object?>();
                    foreach (object? item in sequence) list.Add(FromPowerShell(item, depth + 1));
                    return list;
                default:
                    if (IsScalar(value)) return value;
                    // .NET objects can reference each other without end (a file's directory's parent...): stop early, as ConvertTo-Json does.
                    if (depth >= MaxObjectDepth) return value.ToString();
                    // Any other object (a record, a user) as its properties, as ConvertTo-Json would write it.
                    var fields = new OrderedDictionary();
                    foreach (PSPropertyInfo property in PSObject.AsPSObject(value).Properties)
                    {
                        if (!property.IsGettable) continue;
                        object? field;
                        try
                        {
                            field = property.Value;
                        }
                        catch (GetValueException)
                        {
                            continue;
                        }
                        fields[property.Name] = FromPowerShell(field, depth + 1);
                    }
                    return fields;
            }
        }
    }
}
