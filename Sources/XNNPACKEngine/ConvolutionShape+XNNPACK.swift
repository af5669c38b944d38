import Kernels
import XNNPACKShim

extension ConvolutionShape {
    /// The shape as the shim's geometry (batch 1, dilation 1).
    var xnnpackGeometry: ep_xnn_convolution_geometry {
        ep_xnn_convolution_geometry(
            padding_top: UInt32(padding.top), padding_right: UInt32(padding.right),
            padding_bottom: UInt32(padding.bottom), padding_left: UInt32(padding.left),
            kernel_height: UInt32(kernelHeight), kernel_width: UInt32(kernelWidth),
            stride_height: UInt32(strideY), stride_width: UInt32(strideX), groups: UInt32(groups),
            group_input_channels: inputChannelsPerGroup, group_output_channels: outputChannelsPerGroup,
            input_height: inputHeight, input_width: inputWidth)
    }
}
