import Configuration
import Kernels
import Models

extension Suite {
    /// Reads and validates a suite file; nothing runs unless the whole file is valid. Every
    /// layer is held to `limits` (sizes, multiply-accumulates, memory), as architecture specs are.
    /// - Throws: `ConfigError` naming the file, the entry and the field at fault.
    public static func load(path: String, limits: ArchitectureLimits = ArchitectureLimits()) throws(ConfigError) -> Suite {
        let text = try ConfigFile.read(path)
        var document = try ConfigMapping.document(yaml: text, file: path)
        let name = try document.requiredString("name")
        let description = try document.string("description") ?? ""
        let layerEntries = try document.mappings("layers") ?? []
        let pairEntries = try document.mappings("pairs") ?? []
        let modelEntries = try document.mappings("models") ?? []
        try document.rejectUnknownKeys()

        guard !layerEntries.isEmpty || !modelEntries.isEmpty else {
            throw ConfigError(file: path, key: "layers", problem: "the suite has no layers and no models")
        }
        var layers: [SuiteLayer] = []
        var names: Set<String> = []
        for entry in layerEntries {
            let layer = try SuiteLayer(entry, limits: limits)
            guard names.insert(layer.name).inserted else {
                throw entry.named(layer.name).error("name", "another layer already has this name")
            }
            layers.append(layer)
        }
        var pairs: [SuitePair] = []
        for var entry in pairEntries {
            let pair = SuitePair(
                name: try entry.requiredString("name"), baseline: try entry.requiredString("baseline"),
                candidate: try entry.requiredString("candidate"))
            try entry.rejectUnknownKeys()
            for (field, layer) in [("baseline", pair.baseline), ("candidate", pair.candidate)] where !names.contains(layer) {
                throw entry.named(pair.name).error(field, "names no layer of this suite: '\(layer)'")
            }
            pairs.append(pair)
        }
        var models: [SuiteModel] = []
        for entry in modelEntries {
            let model = try SuiteModel(entry)
            guard names.insert(model.name).inserted else {
                throw entry.named(model.name).error("name", "another layer or model already has this name")
            }
            models.append(model)
        }
        return Suite(name: name, description: description, path: path, layers: layers, pairs: pairs, models: models)
    }
}

extension SuiteModel {
    /// Reads one `models[i]` entry: name, model (digits | mobilenet), sparsity (default 0.9),
    /// sharing_bits (default 4).
    init(_ source: ConfigMapping) throws(ConfigError) {
        var entry = source
        let name = try entry.requiredString("name")
        entry = entry.named(name)
        let kind = try entry.requiredChoice("model", of: Kind.self, named: "model")
        let sparsity = try entry.double("sparsity") ?? 0.9
        guard sparsity >= 0, sparsity < 1 else {
            throw entry.error("sparsity", "must be in 0..<1, got \(sparsity)")
        }
        let bits = try entry.positiveInt("sharing_bits") ?? 4
        guard bits <= 8 else { throw entry.error("sharing_bits", "must be in 1...8, got \(bits)") }
        try entry.rejectUnknownKeys()
        self.init(name: name, kind: kind, sparsity: sparsity, sharingBits: bits)
    }
}

extension SuiteLayer {
    /// Reads one `layers[i]` entry, applying the documented defaults, and holds it to `limits`.
    init(_ source: ConfigMapping, limits: ArchitectureLimits) throws(ConfigError) {
        var entry = source
        let name = try entry.requiredString("name")
        entry = entry.named(name)
        let operation = try entry.requiredChoice("op", of: Operation.self, named: "op")
        let inputChannels = try entry.requiredPositiveInt("cin")
        let height = try entry.requiredPositiveInt("h")
        let width = try entry.requiredPositiveInt("w")
        let outputChannels: Int
        switch operation {
        case .depthwise:
            outputChannels = try entry.positiveInt("cout") ?? inputChannels
            guard outputChannels == inputChannels else {
                throw entry.error("cout", "a depthwise layer keeps its channels: cout must equal cin (\(inputChannels))")
            }
        case .conv, .pointwise, .separable:
            outputChannels = try entry.requiredPositiveInt("cout")
        }
        let kernel = try entry.positiveInt("k") ?? (operation == .pointwise ? 1 : 3)
        if operation == .pointwise, kernel != 1 {
            throw entry.error("k", "a pointwise layer has a 1x1 kernel, got \(kernel)")
        }
        let stride = try entry.positiveInt("stride") ?? 1
        let padding = try Self.paddingRule(&entry)
        let groups = try entry.positiveInt("groups") ?? 1
        if operation != .conv, groups != 1 {
            throw entry.error("groups", "only op 'conv' takes groups")
        }
        let activation = try entry.choice("activation", of: Activation.self, named: "activation") ?? .relu6
        try entry.rejectUnknownKeys()
        var sizes = [("cin", inputChannels), ("h", height), ("w", width), ("cout", outputChannels), ("k", kernel),
                     ("stride", stride), ("groups", groups)]
        if case .pixels(let pixels) = padding { sizes.append(("padding", pixels)) }
        for (field, value) in sizes {
            do {
                try ArchitectureLimits.checkSize(value, field: field)
            } catch {
                throw entry.error(field, error.problem)
            }
        }

        self.init(
            name: name, operation: operation, inputChannels: inputChannels, height: height, width: width,
            outputChannels: outputChannels, kernel: kernel, stride: stride, padding: padding, groups: groups,
            activation: activation)
        for shape in convolutionShapes {
            do {
                try shape.validate()
            } catch {
                let problem = switch error {
                case .invalidShape(_, let problem): problem
                case .wrongCount: error.description
                }
                throw entry.error(Self.suiteField(forShapeField: error.field), problem)
            }
        }
        do {
            try limits.check(convolutionShapes, checkMemory: true)
        } catch {
            // An output size beyond the bound comes from the input size and padding.
            throw entry.error(error.field == "resolution" ? "h" : error.field, error.problem)
        }
    }

    /// The suite field a `ConvolutionShape` field comes from.
    private static func suiteField(forShapeField field: String) -> String {
        switch field {
        case "inputChannels": "cin"
        case "inputHeight": "h"
        case "inputWidth": "w"
        case "outputChannels": "cout"
        case "kernelHeight", "kernelWidth": "k"
        case "strideY", "strideX": "stride"
        case let other where other.hasPrefix("padding"): "padding"
        default: field
        }
    }

    private static func paddingRule(_ entry: inout ConfigMapping) throws(ConfigError) -> PaddingRule {
        guard let node = entry.node("padding") else { return .same }
        if let pixels = node.scalar?.int {
            guard pixels >= 0 else { throw entry.error("padding", "must not be negative, got \(pixels)", node) }
            return .pixels(pixels)
        }
        switch node.scalar?.text {
        case "same": return .same
        case "valid": return .valid
        default: throw entry.error("padding", "expected pixels, 'same' or 'valid', got \(node.summary)", node)
        }
    }
}
