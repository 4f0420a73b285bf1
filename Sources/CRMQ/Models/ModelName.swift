/// A model as the language names it: `fit bgnbd`, `set model = paretonbd`, `clv for X model
/// simple`. The purchase models' words come from `ModelCatalog`, so a new model is named the
/// day it is listed there; Gamma-Gamma (spend) and the simple retention formula stand beside them.
public struct ModelName: RawRepresentable, Hashable, Sendable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    static let bgnbd = ModelName(rawValue: BGNBD.word)
    static let paretonbd = ModelName(rawValue: ParetoNBD.word)
    static let bgbb = ModelName(rawValue: BGBB.word)
    static let gammagamma = ModelName(rawValue: "gammagamma")
    /// The shifted-beta-geometric model of contract renewals.
    static let sbg = ModelName(rawValue: "sbg")
    static let simple = ModelName(rawValue: "simple")

    /// The purchase models, in the catalog's order.
    static var purchases: [ModelName] { ModelCatalog.purchaseModels.map { ModelName(rawValue: $0.word) } }
    /// The models behind clv (`set model`, `clv for X model …`).
    static var lifetimeValue: [ModelName] { purchases + [.simple] }
    /// The models `fit` fits.
    static var fittable: [ModelName] { purchases + [.gammagamma, .sbg] }
    /// The models `fit … with` takes covariates for: those that declare which parameters they scale.
    static var takesCovariates: [ModelName] { purchases.filter { $0.covariateModel != nil } }

    /// The purchase model of this name, nil for Gamma-Gamma and the simple formula.
    var purchaseModel: (any PurchaseModel.Type)? { ModelCatalog.purchaseModels.first { $0.word == rawValue } }

    /// The purchase model of this name when it takes covariates.
    var covariateModel: (any CovariateScaled.Type)? { purchaseModel as? any CovariateScaled.Type }
}
