"""Invoice formats, pure bytes <-> model: the EN 16931 model, safe XML/PDF input, syntax detection, the UBL and CII bindings, Factur-X, conversion."""
